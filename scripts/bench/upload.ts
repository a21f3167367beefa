// node --import tsx scripts/bench/upload.ts — a 100 MB upload through PUT /public/v1/files/upload/{token} of the real
// service (what `npm start` runs), against a bare node:http server that pipes the same bytes to
// the same folder store, in the same run; and the API's RSS growth during the upload.
// Goals (docs/operations.md): throughput ratio ≥ 0.7, RSS growth ≤ 32 MB. Then the agent's side
// (agent-upload.ts): 100 MB from its cache to OctoPrint, and the agent's RSS growth.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@apf/db";
import pg from "pg";
import { createFolderStore } from "../../apps/api/src/platform/file-store/folder.ts";
import { createApiKey, createOrganization } from "../../apps/api/test/support/factories.ts";
import { rssMb, startApi } from "./server.ts";

const SIZE = 100 * 1024 * 1024;
const CHUNK = randomBytes(64 * 1024);
const ROUNDS = 3;
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Sends SIZE bytes (64 KiB chunks, with a Content-Length) and answers the seconds it took. */
function send(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= SIZE) return this.push(null);
        sent += CHUNK.length;
        this.push(CHUNK);
      },
    });
    const req = http.request(url, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/octet-stream", "content-length": SIZE },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () =>
        res.statusCode === 200
          ? resolve((performance.now() - started) / 1000)
          : reject(new Error(`answered ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    body.pipe(req);
  });
}

const dir = mkdtempSync(join(tmpdir(), "apf-bench-files-"));
const dbName = `apf_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(databaseUrl);
url.pathname = `/${dbName}`;
try {
  const database = await createDatabase({ databaseUrl: url.toString() });
  const { organization } = await createOrganization(database.db, "Bench farm");
  const key = (await createApiKey(database.db, organization.id)).key;
  await database.close();
  const api = await startApi({
    DATABASE_URL: url.toString(),
    APF_FILE_STORE: `file://${join(dir, "api")}`,
    APF_MAX_FILE_MB: "200",
    APF_UPLOAD_SECRET: randomBytes(32).toString("hex"),
    LOG_LEVEL: "warn",
  });

  const store = createFolderStore(join(dir, "bare"));
  const bare = http.createServer((req, res) => {
    store.put("bench/bare.gcode", req).then(
      () => res.end("{}"),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  const auth = { authorization: `Bearer ${key}` };
  const apiTimes: number[] = [];
  const bareTimes: number[] = [];
  let growth = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const step1 = await fetch(`${api.base}/public/v1/files/upload-url`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ filename: `bench-${round}.gcode` }),
      });
      const { data } = (await step1.json()) as { data: { upload_url: string } };
      const before = rssMb(api.pid) ?? 0;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(api.pid) ?? 0);
      }, 50);
      apiTimes.push(await send(`${api.base}${data.upload_url}`, auth));
      clearInterval(sampler);
      growth = Math.max(growth, peak - before);
      bareTimes.push(await send(bareUrl, {}));
    }
  } finally {
    bare.close();
    await api.stop();
  }
  const best = (times: number[]) => Math.min(...times);
  const mbps = (s: number) => Math.round((SIZE / 1024 / 1024 / s) * 10) / 10;
  const ratio = Math.round((best(bareTimes) / best(apiTimes)) * 100) / 100;
  console.table([
    { server: "API PUT /files/upload/{token}", "MB/s (best of 3)": mbps(best(apiTimes)) },
    { server: "bare node:http → same store", "MB/s (best of 3)": mbps(best(bareTimes)) },
  ]);
  console.log(
    `throughput ratio ${ratio} (goal ≥ 0.7); API RSS growth ${Math.round(growth * 10) / 10} MB (goal ≤ 32 MB)`,
  );
  // The agent's side: the same size from its cache to OctoPrint, in a process of its own.
  const agent = fork(fileURLToPath(new URL("./agent-upload.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
  });
  const side = await new Promise<{ growth_mb: number; mb_per_s: number }>((resolve, reject) => {
    agent.once("message", (m) => resolve(m as { growth_mb: number; mb_per_s: number }));
    agent.once("exit", (code) => reject(new Error(`the agent's upload exited (${code})`)));
  });
  console.log(
    `agent → OctoPrint POST /api/files/local: ${side.mb_per_s} MB/s; agent RSS growth ${side.growth_mb} MB (goal ≤ 32 MB)`,
  );
} finally {
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
