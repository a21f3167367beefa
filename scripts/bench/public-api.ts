// Benchmark: /public/v1 reads over real HTTP on loopback, with the full middleware chain (key
// lookup in the database, per-key budget in Redis when REDIS_URL is set).
//   npm run bench:public [-- --requests 4000 --concurrency 16 --printers 500]
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { printers } from "@apf/db";
import { createTestDatabase, dropTestDatabases, prepareTemplateDatabase } from "@apf/db/testing";
import { serve } from "@hono/node-server";
import { Redis } from "ioredis";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import { parseEnv } from "../../apps/api/src/env.ts";
import { createInProcessBus } from "../../apps/api/src/services/control/bus.ts";
import { createLogger } from "../../apps/api/src/services/logger.ts";
import { createRateLimiterFactory } from "../../apps/api/src/services/rate-limiter.ts";
import { createApiKey, createOrganization } from "../../apps/api/test/support/factories.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "4000" },
    concurrency: { type: "string", default: "16" },
    printers: { type: "string", default: "500" },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);

process.env.APF_TEST_RUN ??= "benchpub";
if (process.env.DATABASE_URL) {
  process.env.APF_TEST_DATABASE_URL = process.env.DATABASE_URL;
  await prepareTemplateDatabase(process.env.DATABASE_URL);
}
const database = await createTestDatabase();
const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  : null;
if (redis) await new Promise((resolve) => redis.once("ready", resolve));
const app = createApp({
  db: database.db,
  dbKind: database.kind,
  pingDb: () => database.ping(),
  redis,
  rateLimiters: createRateLimiterFactory(redis, `apf-bench:${Date.now()}`),
  commandBus: createInProcessBus(),
  logger: createLogger("silent"),
  clock: systemClock,
  config: parseEnv({ APF_DEMO: "off", LOG_LEVEL: "silent" }),
});
const { organization } = await createOrganization(database.db);
const { key } = await createApiKey(database.db, organization.id, { rateLimitPerMinute: 10_000 });
await database.db.insert(printers).values(
  Array.from({ length: Number(values.printers) }, (_, i) => ({
    organizationId: organization.id,
    machineId: `p${i}`,
    name: `Printer ${i}`,
    status: "idle" as const,
    lastSeenAt: new Date(),
  })),
);

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function run(path: string) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        const res = await fetch(base + path, { headers: { Authorization: `Bearer ${key}` } });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.floor((p / 100) * (latencies.length - 1))]!;
  return {
    path,
    requests: latencies.length,
    failures,
    per_second: Math.round(latencies.length / seconds),
    ms_p50: +pct(50).toFixed(1),
    ms_p95: +pct(95).toFixed(1),
    ms_p99: +pct(99).toFixed(1),
  };
}

const results = [];
for (const path of [
  "/public/v1/me",
  "/public/v1/printers?limit=50",
  "/public/v1/printers/does-not-exist",
]) {
  await run(path); // warm-up pass, not reported
  results.push(await run(path));
}
server.close();
redis?.disconnect();
await database.close();
if (process.env.DATABASE_URL) await dropTestDatabases(process.env.DATABASE_URL);
console.log(
  JSON.stringify(
    { database: database.kind, limiter: redis ? "redis" : "memory", concurrency, results },
    null,
    1,
  ),
);
