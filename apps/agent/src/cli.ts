import { main } from "./main.ts";

// The process shell around main(): signals, exit code, and a last line for a crash.
const controller = new AbortController();
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    // A second signal while stopping means "now": give up on the final flush.
    if (stopping) process.exit(130);
    stopping = true;
    controller.abort();
  });
}

try {
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
  process.exit(code);
} catch (error) {
  process.stderr.write(`apf-agent: internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(70);
}
