// npm run bench [-- --quick] [-- --log-level info]
// Starts the real service (a child process, as `npm start` does) on Postgres and Redis with a
// fresh database of its own, seeds it, and beside it a bare node:http server (bare-server.ts,
// another child process) that does only the unavoidable part of each row's work: it sends the
// very bytes the API answered, or reads and parses the very same reports. Each row loads both
// from this process, one after the other (autocannon, 50 connections, requests spread over many
// keys), and prints the API's figure, the bare server's, the ratios and the row's goal; then the
// API's peak RSS. A row whose goal is a share of /healthz is measured right after a /healthz of
// its own, and its share is of that one. Writes bench/results/latest.json.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createDatabase } from "@apf/db";
import pg from "pg";
import {
  type IngestRow,
  measureIngestRow,
  measureVisibility,
  reportBodies,
} from "./ingest-load.ts";
import { captureAnswer, type LoadResult, measure } from "./load.ts";
import { postgresCpuMs, postgresCpuSpentMs } from "./postgres-cpu.ts";
import { sampleWaits } from "./postgres-waits.ts";
import {
  FLEET_AGENTS,
  INGEST_FARMS,
  JOBS,
  PRINTERS_PER_SMALL_ORG,
  SCALE_ORG_PRINTERS,
  SMALL_ORGS,
  seed,
} from "./seed.ts";
import {
  type CannedAnswer,
  cpuMs,
  type RunningApi,
  scrapeMetrics,
  startApi,
  startBare,
} from "./server.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    connections: { type: "string", default: "50" },
    "log-level": { type: "string", default: "warn" },
    out: { type: "string", default: "bench/results/latest.json" },
    // "http" or "ingest": only those rows (a quick look at one side; no goals for the other).
    only: { type: "string" },
    // A V8 CPU profile of the API (node --cpu-prof) written into this directory.
    "cpu-prof": { type: "string" },
    // Leaves the bench database in place (to EXPLAIN its queries afterwards).
    "keep-db": { type: "boolean", default: false },
  },
});
const quick = values.quick;
const connections = Number(values.connections);
const durationS = quick ? 3 : 10;
const warmupS = quick ? 1 : 3;
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// At most 10,000 requests per key per minute (the contract's ceiling): the load rotates over
// enough keys that no request of the run is refused. Each request still pays the limiter.
const KEYS = 400;

/** What a row must reach: a share of /healthz's req/s, or of the bare server's same work. */
interface Goal {
  of: "/healthz" | "bare";
  min: number;
}
const ofHealthz = (min: number): Goal => ({ of: "/healthz", min });

interface RowSpec {
  name: string;
  path: string;
  /** Bearer keys rotated over the requests (none for open routes). */
  keys: string[];
  headers?: Record<string, string>;
  goal: Goal | null;
}

type HttpRow = LoadResult & {
  /** /healthz measured right before this row (rows whose goal is a share of /healthz). */
  healthz_per_second?: number;
  bare_per_second?: number;
  ratio_to_bare?: number;
  bytes?: number;
  encoding?: string;
  goal?: Goal | null;
};

/** Whether a compressed answer decodes to the identity answer's bytes. */
function decodes(answer: CannedAnswer, identity: Buffer): boolean {
  const encoding = answer.headers["content-encoding"];
  const decoded =
    encoding === "br"
      ? brotliDecompressSync(answer.body)
      : encoding === "gzip"
        ? gunzipSync(answer.body)
        : answer.body;
  return decoded.equals(identity);
}

function databaseAt(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dbName = `apf_bench_${randomBytes(4).toString("hex")}`;
await admin(`create database ${dbName}`);
const benchUrl = databaseAt(databaseUrl, dbName);
const t0 = performance.now();
try {
  const database = await createDatabase({ databaseUrl: benchUrl });
  const seeded = await seed(database.db, KEYS);
  await database.close();
  const seedS = Math.round((performance.now() - t0) / 100) / 10;
  console.log(`seeded ${dbName} in ${seedS} s; starting the API`);
  const tApi = performance.now();

  const metricsToken = randomBytes(16).toString("hex");
  const api = await startApi(
    {
      DATABASE_URL: benchUrl,
      REDIS_URL: redisUrl,
      LOG_LEVEL: values["log-level"]!,
      METRICS_TOKEN: metricsToken,
    },
    values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [],
  );
  console.log(`API ready in ${Math.round((performance.now() - tApi) / 100) / 10} s`);
  const bare = await startBare();
  const rows: HttpRow[] = [];
  try {
    const run = async (spec: RowSpec) => {
      // The answer the row's clients get, byte for byte: the bare server sends the very same.
      const answer = await captureAnswer(api.base, spec.path, {
        ...(spec.keys[0] ? { authorization: `Bearer ${spec.keys[0]}` } : {}),
        ...spec.headers,
      });
      if (answer.status !== 200) throw new Error(`${spec.name} answered ${answer.status}`);
      await bare.answer(answer);
      const options = {
        path: spec.path,
        keys: spec.keys,
        headers: spec.headers,
        connections,
        durationS,
      };
      // The ceiling right before the row, not only at the start of the run: the machine's speed
      // drifts over a run (other tenants of the host), and a share measured against a /healthz
      // of minutes before reads that drift as the route's.
      const ceiling =
        spec.goal?.of === "/healthz"
          ? await measure(
              "/healthz",
              { ...options, path: "/healthz", keys: [], headers: undefined, base: api.base },
              warmupS,
            )
          : null;
      const pgBefore = postgresCpuMs(dbName);
      const row: HttpRow = await measure(
        spec.name,
        { ...options, base: api.base, cpuMs: () => cpuMs(api.pid) },
        warmupS,
      );
      const pgAfter = postgresCpuMs(dbName);
      // Warm-up included: Postgres's share of the row, to see which routes still reach it.
      row.postgres_cpu_ms = postgresCpuSpentMs(pgBefore, pgAfter);
      const limit = await measure(spec.name, { ...options, base: bare.base }, warmupS);
      if (ceiling) row.healthz_per_second = ceiling.per_second;
      row.bare_per_second = limit.per_second;
      row.ratio_to_bare = Math.round((row.per_second / limit.per_second) * 1000) / 1000;
      row.bytes = answer.body.byteLength;
      row.encoding = answer.headers["content-encoding"] ?? "identity";
      row.goal = spec.goal;
      rows.push(row);
      console.log(
        `  ${spec.name.padEnd(34)} ${String(row.per_second).padStart(7)} req/s (bare ${String(limit.per_second).padStart(6)})  p50 ${row.ms_p50} ms  p99 ${row.ms_p99} ms  ${row.cpu_us_per_request} µs CPU/req  ${row.bytes} B ${row.encoding}${row.non_2xx ? `  NON-2XX ${row.non_2xx}` : ""}${row.errors ? `  ERRORS ${row.errors}` : ""}`,
      );
      return answer;
    };
    const m = seeded.measured.keys;
    const big = seeded.scale.keys;
    const http = values.only !== "ingest";
    const ingest = values.only !== "http";
    if (http) {
      await run({ name: "/healthz", path: "/healthz", keys: [], goal: null });
      await run({ name: "/public/v1/me", path: "/public/v1/me", keys: m, goal: ofHealthz(0.7) });
      await run({
        name: "/public/v1/printers (50)",
        path: "/public/v1/printers",
        keys: m,
        goal: ofHealthz(0.55),
      });
      await run({
        name: "/public/v1/jobs?limit=50",
        path: "/public/v1/jobs?limit=50",
        keys: m,
        goal: ofHealthz(0.55),
      });
      const identity = await run({
        name: "/public/v1/printers (1,000)",
        path: "/public/v1/printers",
        keys: big,
        goal: { of: "bare", min: 0.8 },
      });
      // As fetch (undici) asks, and as an older client that takes only gzip asks.
      for (const [encoding, accept] of [
        ["br", "gzip, deflate, br"],
        ["gzip", "gzip"],
      ] as const) {
        const answer = await run({
          name: `/public/v1/printers (1,000) ${encoding}`,
          path: "/public/v1/printers",
          keys: big,
          headers: { "accept-encoding": accept },
          goal: ofHealthz(0.3),
        });
        if (!decodes(answer, identity.body)) {
          console.log(`  ! the ${encoding} answer does not decode to the identity answer`);
        }
      }
    }

    const repeats = quick ? 2 : 3;
    type IngestResult = IngestRow & {
      goal: Goal | null;
      api_cpu_us_per_state: number | null;
      reference_cpu_us_per_state?: number | null;
      postgres_cpu_us_per_state: number | null;
      postgres_waits: Record<string, number>;
    };
    const ingestRows: IngestResult[] = [];
    /**
     * The row on the API with the first 1 + `repeats` of `farms` (each used once); with
     * `reference`, the same rounds also on that second API, interleaved, on the other half.
     */
    const ingestRow = async (
      name: string,
      farms: string[][],
      rounds: string[],
      perReport: number,
      goal: Goal | null,
      reference?: RunningApi,
    ): Promise<IngestResult> => {
      const cpuBefore = cpuMs(api.pid);
      const referenceBefore = reference ? cpuMs(reference.pid) : null;
      const pgBefore = postgresCpuMs(dbName);
      const waits = await sampleWaits(benchUrl, dbName);
      const row = await measureIngestRow(
        name,
        api.base,
        bare.base,
        farms.slice(0, 1 + repeats),
        rounds,
        perReport,
        reference && { base: reference.base, farms: farms.slice(INGEST_FARMS / 2) },
      );
      const cpuAfter = cpuMs(api.pid);
      const referenceAfter = reference ? cpuMs(reference.pid) : null;
      const pgMs = postgresCpuSpentMs(pgBefore, postgresCpuMs(dbName));
      // Busy backends by what they waited on (the API's rounds and the bare server's alike).
      const postgresWaits = await waits.stop();
      // Per state the API applied, warm-up farm included.
      const states = (1 + repeats) * rounds.length * perReport * (farms[0]?.length ?? 0);
      const perState = (before: number | null, after: number | null) =>
        before !== null && after !== null ? Math.round(((after - before) * 1000) / states) : null;
      const withCpu = {
        ...row,
        goal,
        api_cpu_us_per_state: perState(cpuBefore, cpuAfter),
        ...(reference
          ? { reference_cpu_us_per_state: perState(referenceBefore, referenceAfter) }
          : {}),
        // With a reference, both APIs' backends over both APIs' states.
        postgres_cpu_us_per_state:
          pgMs === null ? null : Math.round((pgMs * 1000) / (reference ? 2 * states : states)),
        postgres_waits: postgresWaits,
      };
      console.log(
        `  ${name.padEnd(34)} ${String(row.api_machines_per_second).padStart(7)} machines/s (bare ${row.bare_machines_per_second})  ratio ${row.ratio_to_bare}  report p50 ${row.api_report_ms_p50} ms p99 ${row.api_report_ms_p99} ms  ${withCpu.api_cpu_us_per_state} µs API + ${withCpu.postgres_cpu_us_per_state} µs Postgres CPU per state${row.api_refused ? `  REFUSED ${row.api_refused}` : ""}`,
      );
      const top = Object.entries(postgresWaits)
        .slice(0, 6)
        .map(([wait, n]) => `${wait} ${n}`)
        .join(", ");
      console.log(`    Postgres busy backends sampled every 10 ms: ${top}`);
      if (row.reference) {
        const cost = row.reference.cost;
        console.log(
          `    event log off (reference): ${row.reference.machines_per_second} machines/s, report p50 ${row.reference.report_ms_p50} ms, ${withCpu.reference_cpu_us_per_state} µs API CPU per state → the event log costs ${Math.round(cost * 1000) / 10} % of machines/s (goal ≤ 10 %: ${cost <= 0.1 ? "yes" : "NO"})`,
        );
      }
      return withCpu;
    };
    if (ingest) {
      // The event log's cost (goal ≤ 10 %): a second API, started with
      // APF_BENCH_INGEST_EVENTS=off (reports record no events; read in ingest-events.ts only),
      // plays the same rounds between the API's and the bare server's, on the other half of the
      // fresh organizations, so both see the same phases of a machine whose speed drifts.
      const eventLogOff = await startApi({
        DATABASE_URL: benchUrl,
        REDIS_URL: redisUrl,
        LOG_LEVEL: values["log-level"]!,
        APF_BENCH_INGEST_EVENTS: "off",
      });
      try {
        ingestRows.push(
          await ingestRow(
            "ingest: 10 reports of 1,000, one by one",
            seeded.sequences,
            reportBodies(10, 1000),
            1000,
            { of: "bare", min: 0.7 },
            eventLogOff,
          ),
        );
        ingestRows.push(
          await ingestRow(
            `ingest: fleet of ${FLEET_AGENTS} × 50, 10 rounds`,
            seeded.fleets,
            reportBodies(10, 50),
            50,
            { of: "bare", min: 0.5 },
            eventLogOff,
          ),
        );
      } finally {
        await eventLogOff.stop();
      }
    }
    const visibility = await measureVisibility(
      api.base,
      seeded.measured.agentToken,
      m[0]!,
      seeded.measured.machineIds.length,
      quick ? 10 : 30,
    );
    console.log(
      `  report → visible: p50 ${visibility.ms_p50} ms, max ${visibility.ms_max} ms, ${visibility.visible_on_first_read}/${visibility.samples} on the first read`,
    );

    const metrics = await scrapeMetrics(api.base, metricsToken, [
      "apf_key_cache_lookups_total",
      "apf_printer_list_cache_lookups_total",
      "apf_printer_list_cache_bytes",
      "apf_jobs_list_cache_lookups_total",
      "apf_jobs_list_cache_bytes",
      "apf_org_changes_listening",
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
    ]);
    const ceiling = rows[0]?.per_second ?? 1;
    for (const row of rows) {
      row.ratio = Math.round((row.per_second / (row.healthz_per_second ?? ceiling)) * 1000) / 1000;
    }
    const result = {
      when: new Date().toISOString(),
      mode: quick ? "quick" : "full",
      connections,
      duration_s: durationS,
      log_level: values["log-level"],
      machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
      seeded: {
        // The small organizations, the 1,000-printer one and the fresh ingest ones.
        organizations: SMALL_ORGS + 1 + 2 * INGEST_FARMS,
        printers: SMALL_ORGS * PRINTERS_PER_SMALL_ORG + SCALE_ORG_PRINTERS,
        jobs: JOBS,
        keys_per_measured_org: KEYS,
      },
      http: rows,
      ingest: ingestRows,
      report_to_visible: visibility,
      api_peak_rss_mb: api.peakRssMb(),
      // The API's own counters at the end of the run (cache hits and sizes, event-loop lag).
      api_metrics: metrics,
    };
    const goalOf = (ratio: number, bareRatio: number, goal: Goal | null) => {
      if (!goal) return { goal: "(ceiling)", met: "" };
      const got = goal.of === "bare" ? bareRatio : ratio;
      return {
        goal: `≥ ${goal.min} of ${goal.of === "bare" ? "bare" : "/healthz"}`,
        met: got >= goal.min ? "yes" : "NO",
      };
    };
    console.log("");
    console.table([
      ...rows.map((r) => ({
        row: r.name,
        "per second": r.per_second,
        "bare per second": r.bare_per_second,
        "/healthz just before": r.healthz_per_second ?? null,
        "ratio to /healthz": r.ratio,
        "ratio to bare": r.ratio_to_bare,
        ...goalOf(r.ratio!, r.ratio_to_bare!, r.goal ?? null),
        "p99 ms": r.ms_p99,
        "µs CPU/req": r.cpu_us_per_request,
        bytes: r.bytes,
        "non-2xx": r.non_2xx,
      })),
      ...ingestRows.map((r) => ({
        row: r.name,
        "per second": r.api_machines_per_second,
        "bare per second": r.bare_machines_per_second,
        "/healthz just before": null,
        "ratio to /healthz": null,
        "ratio to bare": r.ratio_to_bare,
        ...goalOf(0, r.ratio_to_bare, r.goal ?? null),
        "p99 ms": r.api_report_ms_p99,
        "µs CPU/req": null,
        bytes: null,
        "non-2xx": r.api_refused,
      })),
    ]);
    const rss = result.api_peak_rss_mb;
    console.log(
      `API peak RSS: ${rss} MB (goal ≤ 250: ${rss !== null && rss <= 250 ? "yes" : "NO"})`,
    );
    console.log("API metrics at the end:", metrics);
    // Relative to the project's root (the default, bench/results/latest.json), or absolute.
    const out = resolve(fileURLToPath(new URL("../..", import.meta.url)), values.out!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${values.out}`);
  } finally {
    await bare.stop();
    await api.stop();
  }
} finally {
  if (values["keep-db"]) console.log(`kept the database ${dbName}`);
  else await admin(`drop database if exists ${dbName} with (force)`);
}

// Events (#22): webhooks and streams, on a database and an API process of their own (events.ts).
if (!values.only) {
  console.log("\nevents");
  const { benchEvents } = await import("./events.ts");
  await benchEvents({ quick, logLevel: values["log-level"]!, databaseUrl, redisUrl });
}
