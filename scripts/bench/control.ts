// Control latency across two API instances: the request on instance A, the agent's command
// channel on instance B (same Postgres, Redis pub/sub between them), a real agent (in process)
// and a simulated OctoPrint host. Measures request sent → OctoPrint receiving POST /api/job.
//   DATABASE_URL=postgres://… REDIS_URL=redis://… node --import tsx scripts/bench/control.ts [rounds]
// Loopback only.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@apf/agent/config";
import { runAgent } from "@apf/agent-core";
import { prepareTemplateDatabase } from "@apf/db/testing";
import { startSimulatedFarm } from "@apf/printers/simulator";
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { freePort } from "../../apps/api/test/support/private-redis.ts";
import { createTestServices } from "../../apps/api/test/support/services.ts";

const rounds = Number(process.argv[2] ?? 40);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error("set DATABASE_URL and REDIS_URL: the bench runs two instances");
}
process.env.APF_TEST_DATABASE_URL = process.env.DATABASE_URL;
process.env.APF_TEST_REDIS_URL = process.env.REDIS_URL;
process.env.APF_TEST_RUN ??= `bench${Date.now() % 100000}`;
await prepareTemplateDatabase(process.env.DATABASE_URL);

const redisPrefix = `apf-bench:${randomBytes(6).toString("hex")}`;
const a = await createTestServices({
  clock: systemClock,
  redisPrefix,
  env: { LOG_LEVEL: "silent" },
});
const b = await createTestServices({
  clock: systemClock,
  redisPrefix,
  database: a.database,
  env: { LOG_LEVEL: "silent" },
});
const { organization } = await createOrganization(a.db);
const { key } = await createApiKey(a.db, organization.id, {
  scopes: ["printers:read", "printers:control"],
  rateLimitPerMinute: 100_000,
});
const agent = await createAgent(a.db, organization.id);
const [portA, portB] = [await freePort(), await freePort()];
const serverA = serve({ fetch: createApp(a).fetch, port: portA, hostname: "127.0.0.1" });
const serverB = serve({ fetch: createApp(b).fetch, port: portB, hostname: "127.0.0.1" });

const farm = await startSimulatedFarm({ count: 1, apiKey: "BENCHKEY0123456789" });
const printer = farm.printers[0]!;
printer.startPrint("bench.gcode", { durationS: 100_000, heatS: 0 });
const dir = mkdtempSync(join(tmpdir(), "apf-bench-control-"));
writeFileSync(
  join(dir, "agent.json"),
  JSON.stringify({
    api_url: `http://127.0.0.1:${portB}`,
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

const base = `http://127.0.0.1:${portA}/public/v1`;
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
    bus: a.commandBus.kind,
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
serverA.close();
serverB.close();
await b.close();
await a.close();
process.exit(0);
