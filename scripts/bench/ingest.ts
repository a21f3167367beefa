// Benchmark: how long the API takes to apply agent reports of many machines.
//   npm run bench:ingest [-- --machines 1000 --rounds 20]
// Uses DATABASE_URL (a scratch database is created and dropped) or embedded PGlite, and
// in-process requests (no network), so it measures validation, normalisation and the database.
import { parseArgs } from "node:util";
import { createTestDatabase, dropTestDatabases, prepareTemplateDatabase } from "@apf/db/testing";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import { parseEnv } from "../../apps/api/src/env.ts";
import { createInProcessBus } from "../../apps/api/src/services/control/bus.ts";
import { createLogger } from "../../apps/api/src/services/logger.ts";
import { createRateLimiterFactory } from "../../apps/api/src/services/rate-limiter.ts";
import { machine, report } from "../../apps/api/test/agent/report-builder.ts";
import { createAgent, createOrganization } from "../../apps/api/test/support/factories.ts";

const { values } = parseArgs({
  options: {
    machines: { type: "string", default: "1000" },
    rounds: { type: "string", default: "20" },
  },
});
const machines = Number(values.machines);
const rounds = Number(values.rounds);

process.env.APF_TEST_RUN ??= "bench";
if (process.env.DATABASE_URL) {
  process.env.APF_TEST_DATABASE_URL = process.env.DATABASE_URL;
  await prepareTemplateDatabase(process.env.DATABASE_URL);
}
const database = await createTestDatabase();
const services = {
  db: database.db,
  dbKind: database.kind,
  pingDb: () => database.ping(),
  redis: null,
  rateLimiters: createRateLimiterFactory(null),
  commandBus: createInProcessBus(),
  logger: createLogger("silent"),
  clock: systemClock,
  config: parseEnv({ APF_DEMO: "off", LOG_LEVEL: "silent" }),
};
const app = createApp(services);
const { organization } = await createOrganization(database.db);
const agent = await createAgent(database.db, organization.id);

const times: number[] = [];
const start = Date.now();
for (let round = 0; round < rounds; round++) {
  const observedAt = new Date(start + round * 5000);
  const body = JSON.stringify(
    report(
      Array.from({ length: machines }, (_, i) =>
        machine({
          machineId: `bench-${i}`,
          observedAt,
          // a third of the farm prints, and every tenth round finishes and starts again
          flags: i % 3 === 0 && round % 10 !== 9 ? { printing: true } : {},
          file: i % 3 === 0 ? `part-${i % 7}.gcode` : null,
          completion: i % 3 === 0 ? ((round % 10) + 1) * 10 : null,
        }),
      ),
    ),
  );
  const t0 = performance.now();
  const res = await app.request("/agent/v1/reports", {
    method: "POST",
    headers: { authorization: `Bearer ${agent.token}`, "content-type": "application/json" },
    body,
  });
  times.push(performance.now() - t0);
  if (res.status !== 202) throw new Error(`round ${round}: ${res.status} ${await res.text()}`);
}
await database.close();
if (process.env.DATABASE_URL) await dropTestDatabases(process.env.DATABASE_URL);

const sorted = [...times].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
console.log(
  JSON.stringify({
    database: database.kind,
    machines_per_report: machines,
    reports: rounds,
    ms_p50: Math.round(pct(50)),
    ms_p95: Math.round(pct(95)),
    ms_max: Math.round(sorted.at(-1)!),
    machines_per_second: Math.round(
      (machines * rounds) / (times.reduce((a, b) => a + b, 0) / 1000),
    ),
  }),
);
