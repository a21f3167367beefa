// npm run bench:analytics [-- --requests 100] [-- --days 90] [-- --database <url>] [-- --keep]
// The analytics routes over a big farm, timed from a client's side: one organization with 1,000
// printers and 1,000,000 ended jobs over a year (scripts/bench/analytics-seed.sql), the real
// service started as `npm start` starts it, and every /public/v1/analytics route asked `requests`
// times, one request at a time, over a window of `days` days ending today. Prints p50 / p99 per
// route (ms, fetch to the last byte) and writes bench/results/analytics-latest.json.
//
// Without --database a fresh database is created, migrated and seeded (a few minutes), and
// dropped at the end unless --keep is given; with --database (e.g. one kept earlier) the seed
// is skipped when the bench organization is already there.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mintToken } from "@apf/auth";
import { apiKeys, createDatabase } from "@apf/db";
import pg from "pg";
import { postgresCpuMs, postgresCpuSpentMs } from "./postgres-cpu.ts";
import { cpuMs, startApi } from "./server.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "100" },
    days: { type: "string", default: "90" },
    database: { type: "string" },
    keep: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    out: { type: "string", default: "bench/results/analytics-latest.json" },
  },
});
const requests = Number(values.requests);
const days = Number(values.days);
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** The bench organization's id: fixed, so a kept database is recognised and reused. */
const ORG = "0b5e4c1a-7a4e-4d8e-9a51-5eed00a11a71";
const GOAL = { p50: 100, p99: 300 };

function databaseAt(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const created = values.database === undefined;
const dbName = created
  ? `apf_analytics_${randomBytes(4).toString("hex")}`
  : new URL(values.database!).pathname.slice(1);
const dbUrl = values.database ?? databaseAt(baseUrl, dbName);

if (created) await withClient(baseUrl, (c) => c.query(`create database ${dbName}`));

const t0 = performance.now();
const database = await createDatabase({ databaseUrl: dbUrl });
const seeded = await withClient(dbUrl, async (c) => {
  const { rows } = await c.query("select 1 from organizations where id = $1", [ORG]);
  return rows.length > 0;
});
if (!seeded) {
  const file = fileURLToPath(new URL("./analytics-seed.sql", import.meta.url));
  const script = readFileSync(file, "utf8").replaceAll(":org", `'${ORG}'`);
  console.log("seeding 1,000 printers and 1,000,000 jobs…");
  await withClient(dbUrl, async (c) => {
    await c.query(script);
    await c.query("vacuum analyze");
  });
}
const minted = mintToken("live");
await database.db.insert(apiKeys).values({
  organizationId: ORG,
  name: "analytics bench",
  keyHash: minted.hash,
  preview: minted.preview,
  scopes: ["analytics:read"],
  rateLimitPerMinute: 10_000,
});
await database.close();
console.log(`database ready in ${Math.round((performance.now() - t0) / 100) / 10} s`);

const dayIso = (d: Date) => d.toISOString().slice(0, 10);
const to = new Date();
const from = new Date(to.getTime() - (days - 1) * 86_400_000);
const window = `from=${dayIso(from)}&to=${dayIso(to)}`;
const routes = [
  `/public/v1/analytics/production?${window}`,
  `/public/v1/analytics/printers?${window}`,
  `/public/v1/analytics/failures?${window}`,
  `/public/v1/analytics/inventory?${window}`,
  "/public/v1/analytics/overview",
];

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const api = await startApi({
  DATABASE_URL: dbUrl,
  REDIS_URL: redisUrl,
  LOG_LEVEL: values["log-level"]!,
});
const results: {
  route: string;
  p50: number;
  p99: number;
  max: number;
  bytes: number;
  non_200: number;
  api_cpu_ms_per_request: number | null;
  postgres_cpu_ms_per_request: number | null;
}[] = [];
try {
  const headers = { authorization: `Bearer ${minted.token}` };
  const once = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${api.base}${path}`, { headers });
    const bytes = (await res.arrayBuffer()).byteLength;
    return { ms: performance.now() - started, bytes, status: res.status };
  };
  // Warm-up: connections, the key cache and Postgres's buffers.
  for (const path of routes) for (let i = 0; i < 5; i++) await once(path);
  for (const path of routes) {
    const times: number[] = [];
    let bytes = 0;
    let failed = 0;
    const apiBefore = cpuMs(api.pid);
    const pgBefore = postgresCpuMs(dbName);
    for (let i = 0; i < requests; i++) {
      const r = await once(path);
      times.push(r.ms);
      if (r.status === 200) bytes = r.bytes;
      else failed++;
    }
    const apiAfter = cpuMs(api.pid);
    const pgSpent = postgresCpuSpentMs(pgBefore, postgresCpuMs(dbName));
    times.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    // CPU per request hardly depends on what else the machine runs, unlike the latencies.
    const perRequest = (ms: number | null) => (ms === null ? null : round(ms / requests));
    const row = {
      route: path.split("?")[0]!,
      p50: round(percentile(times, 50)),
      p99: round(percentile(times, 99)),
      max: round(times.at(-1)!),
      bytes,
      /** Answers other than 200 (a 503 is the database's statement timeout). */
      non_200: failed,
      api_cpu_ms_per_request: perRequest(
        apiBefore === null || apiAfter === null ? null : apiAfter - apiBefore,
      ),
      postgres_cpu_ms_per_request: perRequest(pgSpent),
    };
    results.push(row);
    const met = row.p50 <= GOAL.p50 && row.p99 <= GOAL.p99 && !failed ? "met" : "NOT MET";
    console.log(
      `  ${row.route.padEnd(34)} p50 ${String(row.p50).padStart(7)} ms  p99 ${String(row.p99).padStart(7)} ms  max ${String(row.max).padStart(7)} ms  CPU ${row.api_cpu_ms_per_request} + ${row.postgres_cpu_ms_per_request} ms (API + Postgres)  ${row.bytes} B${failed ? `  NON-200 ${failed}` : ""}  (goal p50 ≤ ${GOAL.p50}, p99 ≤ ${GOAL.p99}: ${met})`,
    );
  }
} finally {
  await api.stop();
  if (created && !values.keep) {
    await withClient(baseUrl, (c) => c.query(`drop database if exists ${dbName} with (force)`));
  } else if (created) {
    console.log(`kept ${dbName}: rerun with --database ${dbUrl}`);
  }
}

const out = resolve(fileURLToPath(new URL("../..", import.meta.url)), values.out!);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    { at: new Date().toISOString(), window_days: days, requests, goal: GOAL, routes: results },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
