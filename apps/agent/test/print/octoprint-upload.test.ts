// The upload to OctoPrint streams the file from disk: it reads only as fast as OctoPrint takes the
// bytes, with a Content-Length, never the whole file into memory first.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uploadToOctoPrint } from "@apf/agent-core/print/octoprint-upload";
import { afterAll, beforeAll, expect, it } from "vitest";

const SIZE = 48 * 1024 * 1024;
let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "apf-agent-upload-"));
  path = join(dir, "big.gcode");
  await writeFile(path, randomBytes(SIZE));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("reads the file only as fast as OctoPrint takes it, with a Content-Length and no chunking", async () => {
  let request: IncomingMessage | undefined;
  let received = 0;
  let gotFirstBytes!: () => void;
  const firstBytes = new Promise<void>((resolve) => {
    gotFirstBytes = resolve;
  });
  // An OctoPrint that takes the first bytes, then stops reading until told.
  const server = createServer((req, res) => {
    request = req;
    req.on("data", (chunk: Buffer) => {
      if (received === 0) {
        req.pause();
        gotFirstBytes();
      }
      received += chunk.length;
    });
    req.on("end", () => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ done: true, effectivePrint: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const file = await open(path, "r");
  try {
    let sent = 0;
    const upload = uploadToOctoPrint({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: "key",
      file,
      size: SIZE,
      name: "big.gcode",
      stallMs: 10_000,
      onBytes: (bytes) => {
        sent = bytes;
      },
    });
    await firstBytes;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Held up by the server: at most what the sockets' buffers hold has been read from disk.
    expect(sent).toBeLessThan(SIZE / 2);
    expect(Number(request!.headers["content-length"])).toBeGreaterThan(SIZE);
    expect(request!.headers["transfer-encoding"]).toBeUndefined();
    request!.resume();
    expect(await upload).toEqual({ ok: true, status: 201 });
    expect(received).toBe(Number(request!.headers["content-length"]));
  } finally {
    await file.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it("sends the file through one reused buffer: the agent's memory does not grow with the file", async () => {
  // OctoPrint in a process of its own, so only the agent's buffers are counted here.
  const sink = fork(join(import.meta.dirname, "../helpers/upload-sink.mjs"));
  const port = await new Promise<number>((resolve) =>
    sink.once("message", (m) => resolve(Number(m))),
  );
  const file = await open(path, "r");
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 5);
  try {
    const result = await uploadToOctoPrint({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: "key",
      file,
      size: SIZE,
      name: "big.gcode",
      stallMs: 10_000,
      onBytes: () => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      },
    });
    expect(result).toEqual({ ok: true, status: 201 });
  } finally {
    clearInterval(sampler);
    await file.close();
    sink.kill();
  }
  // Buffers made (and not yet collected) while 48 MB went: a few chunks' worth (about 0.2 MB),
  // not a copy of every chunk (about 10 MB at a time with fetch, and 113 MB of RSS for 100 MB).
  expect(peak - before).toBeLessThan(2 * 1024 * 1024);
});
