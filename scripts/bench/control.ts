// Control latency across two API instances, each what `npm start` runs in a process of its own:
// the request on instance A, the agent's command channel on instance B (same Postgres, Redis
// pub/sub between them), a real agent (in this process) and a simulated OctoPrint host. Measures
// request sent → OctoPrint receiving POST /api/job.
//   DATABASE_URL=postgres://… REDIS_URL=redis://… node --import tsx scripts/bench/control.ts [rounds]
// The bench makes a database of its own on that server and drops it afterwards. Loopback only.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@apf/agent/config";
import { runAgent } from "@apf/agent-core";
import { createDatabase } from "@apf/db";
import { startSimulatedFarm } from "@apf/printers/simulator";
import pg from "pg";
import pino from "pino";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { startApi } from "./server.ts";

const rounds = Number(process.argv[2] ?? 40);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error("set DATABASE_URL and REDIS_URL: the bench runs two instances");
}
const serverUrl = process.env.DATABASE_URL;
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
const dbName = `apf_bench_control_${randomBytes(4).toString("hex")}`;
await admin(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;

// The schema and the tenant, then both instances on them.
const database = await createDatabase({ databaseUrl: url.toString() });
const { organization } = await createOrganization(database.db);
const { key } = await createApiKey(database.db, organization.id, {
  scopes: ["printers:read", "printers:control"],
  rateLimitPerMinute: 100_000,
});
const agent = await createAgent(database.db, organization.id);
await database.close();
const env = { DATABASE_URL: url.toString(), REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: "warn" };
const [a, b] = [await startApi(env), await startApi(env)];

const farm = await startSimulatedFarm({ count: 1, apiKey: "BENCHKEY0123456789" });
const printer = farm.printers[0]!;
printer.startPrint("bench.gcode", { durationS: 100_000, heatS: 0 });
const dir = mkdtempSync(join(tmpdir(), "apf-bench-control-"));
writeFileSync(
  join(dir, "agent.json"),
  JSON.stringify({
    api_url: b.base,
    agent_token: agent.token,
    poll_interval_s: 1,
    machines: [
      { type: "OCTOPRINT", url: printer.url, custom_name: "bench", api_key: "BENCHKEY0123456789" },
    ],
  }),
);
const controller = new AbortController();
const running = runAgent(await loadConfig(join(dir, "agent.json")), {
  logger: pino({ level: "silent" }),
  signal: controller.signal,
});

const base = `${a.base}/public/v1`;
const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
async function status(): Promise<{ id: string; status: string } | undefined> {
  const res = await fetch(`${base}/printers`, { headers });
  return ((await res.json()) as { data: { id: string; status: string }[] }).data[0];
}
async function until(want: string): Promise<string> {
  for (;;) {
    const p = await status();
    if (p?.status === want) return p.id;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let id = await until("printing");
const samples: number[] = [];
for (let i = 0; i < rounds; i++) {
  const action = i % 2 === 0 ? "pause" : "resume";
  id = await until(i % 2 === 0 ? "printing" : "paused");
  const received = new Promise<number>((resolve) => {
    const off = printer.onJobCommand(() => {
      off();
      resolve(performance.now());
    });
  });
  const sent = performance.now();
  const res = await fetch(`${base}/printers/${id}/control`, {
    method: "POST",
    headers,
    body: JSON.stringify({ action }),
  });
  if (res.status !== 200) throw new Error(`round ${i}: HTTP ${res.status} ${await res.text()}`);
  samples.push((await received) - sent);
}

samples.sort((x, y) => x - y);
const pct = (p: number) =>
  samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]!;
console.log(
  JSON.stringify({
    rounds,
    instances: 2,
    bus: "redis",
    request_to_octoprint_ms: {
      p50: Math.round(pct(50) * 10) / 10,
      p99: Math.round(pct(99) * 10) / 10,
      max: Math.round(samples.at(-1)! * 10) / 10,
    },
  }),
);

controller.abort();
await running;
await farm.close();
await Promise.all([a.stop(), b.stop()]);
await admin(`drop database ${dbName}`);
process.exit(0);
