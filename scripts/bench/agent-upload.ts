// node --import tsx scripts/bench/agent-upload.ts — the agent's side of a print: a 100 MB file
// from the agent's cache sent to OctoPrint (POST /api/files/local) by the agent's own upload
// code, to a bare receiver in another process, and this process's RSS growth meanwhile. Run by
// upload.ts (npm run bench:upload) in a process of its own, so nothing else counts.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { uploadToOctoPrint } from "../../packages/agent-core/src/print/octoprint-upload.ts";

const SIZE = 100 * 1024 * 1024;
const dir = await mkdtemp(join(tmpdir(), "apf-bench-agent-"));
const path = join(dir, "print.gcode");
const writer = await open(path, "w");
const chunk = randomBytes(1024 * 1024);
for (let i = 0; i < SIZE / chunk.length; i++) await writer.write(chunk);
await writer.close();

const sink = fork(
  fileURLToPath(new URL("../../apps/agent/test/helpers/upload-sink.mjs", import.meta.url)),
);
const port = await new Promise<number>((resolve) =>
  sink.once("message", (m) => resolve(Number(m))),
);
const rss = () => process.memoryUsage().rss / 1024 / 1024;
const file = await open(path, "r");
try {
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 20);
  const started = performance.now();
  const result = await uploadToOctoPrint({
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: "bench",
    file,
    size: SIZE,
    name: "print.gcode",
    stallMs: 60_000,
    onBytes: () => {},
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (!result.ok) throw new Error(`upload failed: ${result.error}`);
  process.send?.({
    growth_mb: Math.round((peak - before) * 10) / 10,
    mb_per_s: Math.round((SIZE / 1024 / 1024 / seconds) * 10) / 10,
  });
} finally {
  await file.close();
  sink.kill();
  await rm(dir, { recursive: true, force: true });
  process.disconnect?.();
}
