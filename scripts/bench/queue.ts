// The print queue: enqueue rate through POST /public/v1/jobs (goal ≥ 2,000 jobs/s), and with
// 1,000 printers and 10,000 queued jobs, a bed cleared → the print command dispatched (goal p99
// ≤ 500 ms). One API instance in process on Postgres and Redis, served over loopback.
//   DATABASE_URL=postgres://… REDIS_URL=redis://… node --import tsx scripts/bench/queue.ts [rounds]
import { randomBytes, randomUUID } from "node:crypto";
import { commandChannels, commands, jobs, organizations, printers, printFiles } from "@apf/db";
import { prepareTemplateDatabase } from "@apf/db/testing";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { and, eq, inArray } from "drizzle-orm";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { freePort } from "../../apps/api/test/support/private-redis.ts";
import { createTestServices } from "../../apps/api/test/support/services.ts";

const rounds = Number(process.argv[2] ?? 50);
const PRINTERS = 1000;
const QUEUED = 10_000;
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error("set DATABASE_URL and REDIS_URL");
}
process.env.APF_TEST_DATABASE_URL = process.env.DATABASE_URL;
process.env.APF_TEST_REDIS_URL = process.env.REDIS_URL;
process.env.APF_TEST_RUN ??= `bench${Date.now() % 100000}`;
await prepareTemplateDatabase(process.env.DATABASE_URL);

const services = await createTestServices({
  clock: systemClock,
  redisPrefix: `apf-bench:${randomBytes(6).toString("hex")}`,
  env: { LOG_LEVEL: "silent", APF_STALE_AFTER_S: "3600" },
});
const { db } = services;
const port = await freePort();
const server = serve({ fetch: createApp(services).fetch, port, hostname: "127.0.0.1" });

async function printFile(organizationId: string) {
  const id = randomUUID();
  await db.insert(printFiles).values({
    id,
    organizationId,
    name: `bench-${id}`,
    originalFilename: "bench.gcode",
    storageKey: id,
    fileSizeBytes: 1000,
    sha256: "0".repeat(64),
  });
  return id;
}

// 1. Enqueue rate.
const enqueueOrg = (await createOrganization(db)).organization.id;
const enqueueFile = await printFile(enqueueOrg);
const { key } = await createApiKey(db, enqueueOrg, {
  scopes: ["jobs:write"],
  rateLimitPerMinute: 1_000_000,
});
const durationS = 10;
const result = await autocannon({
  url: `http://127.0.0.1:${port}/public/v1/jobs`,
  method: "POST",
  connections: 50,
  duration: durationS,
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: JSON.stringify({ print_file_id: enqueueFile }),
});
const enqueued = result["2xx"];
const enqueue = {
  jobs_per_s: Math.round(enqueued / durationS),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  non_2xx: result.non2xx,
};
console.log("enqueue", enqueue);

// 2. Bed cleared → print command dispatched, 1,000 printers and 10,000 queued jobs.
const { organization } = await createOrganization(db);
const org = organization.id;
const file = await printFile(org);
const now = new Date();
const agents = [] as string[];
for (let i = 0; i < 10; i++) agents.push((await createAgent(db, org)).id);
// Every agent "connected" for the run (as an agent's open long poll keeps it).
await db
  .insert(commandChannels)
  .values(agents.map((agentId) => ({ agentId, openUntil: new Date(now.getTime() + 3_600_000) })));
const printerIds: string[] = [];
for (let chunk = 0; chunk < PRINTERS; chunk += 500) {
  const rows = await db
    .insert(printers)
    .values(
      Array.from({ length: 500 }, (_, i) => ({
        organizationId: org,
        agentId: agents[(chunk + i) % agents.length]!,
        machineId: `m-${chunk + i}`,
        name: `Printer ${chunk + i}`,
        status: "idle" as const,
        reachable: true,
        lastSeenAt: now,
        observedAt: now,
        // Every bed needs clearing: nothing is dispatched until the bench clears one.
        lastJobEndedAt: now,
      })),
    )
    .returning({ id: printers.id });
  printerIds.push(...rows.map((r) => r.id));
}
for (let chunk = 0; chunk < QUEUED; chunk += 1000) {
  await db.insert(jobs).values(
    Array.from({ length: 1000 }, (_, i) => ({
      organizationId: org,
      status: "queued" as const,
      printFileId: file,
      fileName: "bench.gcode",
      queuePosition: chunk + i + 1,
    })),
  );
}
await db.update(organizations).set({ autoStart: true }).where(eq(organizations.id, org));
// Let the first passes write every job's waiting reason before measuring.
await services.dispatcher.runOnce();
await new Promise((resolve) => setTimeout(resolve, 1500));

const latencies: number[] = [];
for (let round = 0; round < rounds && round < PRINTERS; round++) {
  const printerId = printerIds[round]!;
  const cleared = new Date();
  await db.update(printers).set({ bedClearedAt: cleared }).where(eq(printers.id, printerId));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [command] = await db
      .select({ id: commands.id })
      .from(commands)
      .where(and(eq(commands.printerId, printerId), inArray(commands.action, ["print"])))
      .limit(1);
    if (command) {
      // Seen committed (at most 5 ms late), not the command's own timestamp (taken before commit).
      latencies.push(Date.now() - cleared.getTime());
      break;
    }
    if (Date.now() > deadline) {
      latencies.push(Number.POSITIVE_INFINITY);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
const dispatch = { rounds: latencies.length, p50_ms: pct(50), p99_ms: pct(99), max_ms: pct(100) };
console.log("bed cleared → print command", dispatch);

server.close();
await services.close();
console.log(JSON.stringify({ enqueue, dispatch }));
