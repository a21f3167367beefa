import { chmod, rename, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { normalizeUrl } from "@apf/agent-core/machine-identity";
import { obtainAppKey } from "@apf/agent-core/octoprint";
import type { CommandIo } from "./run-command.ts";

/** Options of `apf-agent pair`. */
export interface PairOptions {
  url: string;
  out: string;
  app: string;
  user?: string;
  timeoutS: number;
  /** Tests poll faster than OctoPrint's documented once a second. */
  pollIntervalMs?: number;
}

// Written next to the target and renamed over it, so a reader never sees a half-written key.
async function writeKeyFile(path: string, key: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${key}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

/**
 * `apf-agent pair`: OctoPrint's Application Keys workflow; writes the granted key to `out`
 * (mode 0600) and never prints it. 0 when a key was written, 1 otherwise.
 */
export async function pairCommand(options: PairOptions, io: CommandIo): Promise<number> {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const shown = normalizeUrl(options.url);
  say(`Asking OctoPrint at ${shown} for an API key for "${options.app}"…`);
  const result = await obtainAppKey({
    baseUrl: options.url,
    app: options.app,
    ...(options.user ? { user: options.user } : {}),
    timeoutMs: options.timeoutS * 1000,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    signal: io.signal,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    onPending: ({ authDialogUrl }) => {
      const who = options.user ? ` logged in as ${options.user}` : "";
      say(`Open OctoPrint (${shown})${who} and approve the access request from ${options.app}.`);
      if (authDialogUrl) say(`Or approve it in this dialog: ${authDialogUrl}`);
      say(`Waiting up to ${options.timeoutS} s for the decision…`);
    },
  });

  if (result.ok) {
    const path = resolve(options.out);
    try {
      await writeKeyFile(path, result.apiKey);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      io.stderr.write(`apf-agent: pair: cannot write ${path}${code ? ` (${code})` : ""}\n`);
      return 1;
    }
    say(`Approved. The key is in ${path} (mode 0600).`);
    say(`In agent.json, set "authentication_file_path": "${basename(path)}" for this machine`);
    say("(relative to agent.json, so keep the file next to it or give its path).");
    return 0;
  }

  const reasons: Record<string, string> = {
    unsupported: `OctoPrint at ${shown} does not offer the Application Keys workflow (${result.message}). Copy an API key from OctoPrint's settings into ${options.out} instead.`,
    denied:
      "The access request was denied in OctoPrint, or it expired before anyone decided. Run pair again.",
    timeout: `Nobody decided within ${options.timeoutS} s. Run pair again (or raise --timeout).`,
    aborted: "Pairing cancelled.",
    unreachable: `Cannot reach OctoPrint at ${shown}: ${result.message}.`,
  };
  const reason =
    reasons[result.kind] ?? `OctoPrint at ${shown} answered unexpectedly: ${result.message}.`;
  io.stderr.write(`apf-agent: pair: ${reason}\n`);
  return 1;
}
