// npm run bench:queue [-- --enqueue-s 10] [-- --clears 200]
// The print queue, measured from a client's side against the real service (what `npm start`
// runs, a child process) on Postgres and Redis, with a fresh database of its own:
//   1. enqueue rate: autocannon POSTs /public/v1/jobs, 50 connections (goal ≥ 2,000 jobs/s);
//   2. with 1,000 printers (10 agents, each holding its command long poll open as the agent
//      does) and 10,000 queued jobs: a collection task completed through
//      POST /public/v1/worklist/{id}/complete → the `print` command for that printer in the
//      agent's poll answer (goal p99 ≤ 500 ms), one clear at a time.
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createDatabase, jobs, organizations, printers, printFiles, tasks } from "@apf/db";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import pg from "pg";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { postgresCpuMs, postgresCpuSpentMs } from "./postgres-cpu.ts";
import { sampleWaits } from "./postgres-waits.ts";
import { cpuMs, startApi } from "./server.ts";

const { values } = parseArgs({
  options: {
    "enqueue-s": { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    clears: { type: "string", default: "200" },
    "log-level": { type: "string", default: "warn" },
    // A V8 CPU profile of the API (node --cpu-prof) written into this directory.
    "cpu-prof": { type: "string" },
    "enqueue-only": { type: "boolean", default: false },
    // Per job: transactions, and rows read and written per table (pg_stat_*), after the enqueue.
    stats: { type: "boolean", default: false },
    // Leaves the bench database in place (to EXPLAIN its queries afterwards).
    "keep-db": { type: "boolean", default: false },
  },
});
const ENQUEUE_S = Number(values["enqueue-s"]);
const CONNECTIONS = Number(values.connections);
const CLEARS = Math.min(Number(values.clears), 1000);
const PRINTERS = 1000;
const AGENTS = 10;
const QUEUED = 10_000;
/** Keys the enqueue load rotates over: each key's budget is at most 10,000 requests a minute. */
const KEYS = 60;
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const dbName = `apf_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(databaseUrl);
url.pathname = `/${dbName}`;

/** Counters of the bench database and its tables (pg_stat_database, pg_stat_user_tables). */
async function tableStats(connectionString: string): Promise<Map<string, number[]>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; v: string[] }>(
      `select 'transactions' as name, array[xact_commit, xact_rollback, 0, 0, 0, 0]::text[] as v
       from pg_stat_database where datname = current_database()
       union all
       select relname, array[seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del]::text[]
       from pg_stat_user_tables`,
    );
    return new Map(rows.map((r) => [r.name, r.v.map((x) => Number(x ?? 0))]));
  } finally {
    await client.end();
  }
}

function printStatsPerJob(before: Map<string, number[]>, after: Map<string, number[]>, n: number) {
  console.log(
    "  per job: transactions (commit rollback) | table seq_scan idx_scan ins upd hot_upd del",
  );
  for (const [name, v] of after) {
    const d = v.map((x, i) => (x - (before.get(name)?.[i] ?? 0)) / Math.max(1, n));
    if (d.some((x) => Math.abs(x) >= 0.005)) {
      console.log(`    ${name.padEnd(28)} ${d.map((x) => x.toFixed(2).padStart(7)).join(" ")}`);
    }
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

try {
  const database = await createDatabase({ databaseUrl: url.toString() });
  const { db } = database;
  const now = new Date();

  async function printFile(organizationId: string) {
    const [row] = await db
      .insert(printFiles)
      .values({
        id: randomUUID(),
        organizationId,
        name: `bench-${randomBytes(4).toString("hex")}`,
        originalFilename: "bench.gcode",
        storageKey: `${organizationId}/bench`,
        fileSizeBytes: 1000,
        sha256: "0".repeat(64),
      })
      .returning({ id: printFiles.id });
    return row!.id;
  }

  /** `count` printers of the organization spread over its agents, `values` each. */
  async function addPrinters(
    organizationId: string,
    agentIds: string[],
    count: number,
    values: Partial<typeof printers.$inferInsert>,
  ) {
    const rows: { id: string; machineId: string }[] = [];
    for (let chunk = 0; chunk < count; chunk += 500) {
      const n = Math.min(500, count - chunk);
      rows.push(
        ...(await db
          .insert(printers)
          .values(
            Array.from({ length: n }, (_, i) => ({
              organizationId,
              agentId: agentIds[(chunk + i) % agentIds.length]!,
              machineId: `m-${chunk + i}`,
              name: `Printer ${chunk + i}`,
              status: "idle" as const,
              reachable: true,
              lastSeenAt: now,
              observedAt: now,
              ...values,
            })),
          )
          .returning({ id: printers.id, machineId: printers.machineId })),
      );
    }
    return rows;
  }

  // 1. The enqueue organization: auto_start on, its 100 printers all printing, so every job
  //    queued wakes the dispatcher, which finds no printer free (the usual busy farm).
  const enqueueOrg = (await createOrganization(db, "Enqueue farm")).organization.id;
  await db.update(organizations).set({ autoStart: true }).where(eq(organizations.id, enqueueOrg));
  const enqueueAgent = (await createAgent(db, enqueueOrg)).id;
  await addPrinters(enqueueOrg, [enqueueAgent], 100, { status: "printing" });
  const enqueueFile = await printFile(enqueueOrg);
  const enqueueKeys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    enqueueKeys.push(
      (await createApiKey(db, enqueueOrg, { scopes: ["jobs:write"], rateLimitPerMinute: 10_000 }))
        .key,
    );
  }

  // 2. The dispatch organization: 1,000 printers whose beds all need clearing (each with its
  //    pending collection task), 10,000 queued jobs, auto_start on.
  const org = (await createOrganization(db, "Dispatch farm")).organization.id;
  const file = await printFile(org);
  const agents = [] as { id: string; token: string }[];
  for (let i = 0; i < AGENTS; i++) agents.push(await createAgent(db, org, `agent ${i}`));
  const farm = await addPrinters(
    org,
    agents.map((a) => a.id),
    PRINTERS,
    { lastJobEndedAt: now },
  );
  const taskOf = new Map<string, string>();
  for (let chunk = 0; chunk < PRINTERS; chunk += 500) {
    const rows = await db
      .insert(tasks)
      .values(
        farm.slice(chunk, chunk + 500).map((p) => ({
          organizationId: org,
          printerId: p.id,
          taskType: "collection" as const,
          title: "Clear the bed",
        })),
      )
      .returning({ id: tasks.id, printerId: tasks.printerId });
    for (const r of rows) taskOf.set(r.printerId!, r.id);
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
  const { key: worklistKey } = await createApiKey(db, org, {
    scopes: ["worklist:write"],
    rateLimitPerMinute: 10_000,
  });
  await db.execute("analyze");
  await database.close();

  const api = await startApi(
    {
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl,
      // The seeded printers never report: they stay online for the run.
      APF_STALE_AFTER_S: "3600",
      APF_UPLOAD_SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: values["log-level"]!,
    },
    values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [],
  );
  try {
    // 1. Enqueue rate.
    let next = 0;
    const statsBefore = values.stats ? await tableStats(url.toString()) : null;
    const cpuBefore = cpuMs(api.pid);
    const pgBefore = postgresCpuMs(dbName);
    const waits = await sampleWaits(databaseUrl, dbName);
    const result = await autocannon({
      url: `${api.base}/public/v1/jobs`,
      connections: CONNECTIONS,
      duration: ENQUEUE_S,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ print_file_id: enqueueFile }),
          setupRequest: (request) => ({
            ...request,
            headers: {
              ...request.headers,
              authorization: `Bearer ${enqueueKeys[next++ % enqueueKeys.length]}`,
            },
          }),
        },
      ],
    });
    const cpuAfter = cpuMs(api.pid);
    const pgSpent = postgresCpuSpentMs(pgBefore, postgresCpuMs(dbName));
    const waited = await waits.stop();
    if (statsBefore) {
      await new Promise((r) => setTimeout(r, 1500)); // backends flush their counters when idle
      printStatsPerJob(statsBefore, await tableStats(url.toString()), result["2xx"]);
    }
    const enqueued = result["2xx"];
    const enqueue = {
      jobs_per_s: Math.round(enqueued / ENQUEUE_S),
      ms_p50: result.latency.p50,
      ms_p99: result.latency.p99,
      non_2xx: result.non2xx,
      errors: result.errors,
      cpu_us_per_job:
        cpuBefore === null || cpuAfter === null || enqueued === 0
          ? null
          : Math.round(((cpuAfter - cpuBefore) * 1000) / enqueued),
      postgres_cpu_us_per_job:
        pgSpent === null || enqueued === 0 ? null : Math.round((pgSpent * 1000) / enqueued),
      postgres_waits: waited,
    };
    console.log(
      `  enqueue POST /public/v1/jobs             ${String(enqueue.jobs_per_s).padStart(6)} jobs/s (goal ≥ 2,000: ${enqueue.jobs_per_s >= 2000 ? "yes" : "NO"})  p50 ${enqueue.ms_p50} ms p99 ${enqueue.ms_p99} ms  ${enqueue.cpu_us_per_job} µs API CPU per job, ${enqueue.postgres_cpu_us_per_job} µs Postgres CPU${enqueue.non_2xx ? `  NON-2XX ${enqueue.non_2xx}` : ""}${enqueue.errors ? `  ERRORS ${enqueue.errors}` : ""}`,
    );

    let dispatch: Record<string, number> | null = null;
    if (!values["enqueue-only"]) {
      // 2. Bed cleared → print command at the agent. Each agent holds its long poll open and
      //    notes when each printer's print command reached it.
      const machineOf = new Map(farm.map((p) => [p.id, p.machineId]));
      const arrived = new Map<string, number>();
      const waiters = new Map<string, () => void>();
      const stop = new AbortController();
      const polls = agents.map(async (agent) => {
        while (!stop.signal.aborted) {
          const res = await fetch(`${api.base}/agent/v1/commands?wait=25`, {
            headers: { authorization: `Bearer ${agent.token}` },
            signal: stop.signal,
          }).catch(() => null);
          if (!res) break;
          const at = performance.now();
          if (res.status !== 200) throw new Error(`agent poll answered ${res.status}`);
          const body = (await res.json()) as { data: { action: string; machine_id: string }[] };
          for (const command of body.data) {
            if (command.action !== "print") continue;
            arrived.set(command.machine_id, at);
            waiters.get(command.machine_id)?.();
          }
        }
      });
      // The polls open the agents' channels; the sweep then writes every job's waiting reason.
      await new Promise((resolve) => setTimeout(resolve, 3000));

      const latencies: number[] = [];
      let lost = 0;
      for (let round = 0; round < CLEARS; round++) {
        const printer = farm[round]!;
        const machineId = machineOf.get(printer.id)!;
        const seen = new Promise<void>((resolve) => {
          waiters.set(machineId, resolve);
          if (arrived.has(machineId)) resolve();
        });
        const started = performance.now();
        const res = await fetch(
          `${api.base}/public/v1/worklist/${taskOf.get(printer.id)}/complete`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${worklistKey}` },
          },
        );
        if (res.status !== 200)
          throw new Error(`complete answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        const timeout = new Promise<"timeout">((resolve) =>
          setTimeout(() => resolve("timeout"), 10_000).unref(),
        );
        if ((await Promise.race([seen, timeout])) === "timeout") {
          lost++;
          latencies.push(Number.POSITIVE_INFINITY);
        } else {
          latencies.push(arrived.get(machineId)! - started);
        }
        waiters.delete(machineId);
      }
      stop.abort();
      await Promise.allSettled(polls);
      latencies.sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      const measured = {
        clears: latencies.length,
        ms_p50: round(pct(latencies, 50)),
        ms_p99: round(pct(latencies, 99)),
        ms_max: round(pct(latencies, 100)),
        lost,
      };
      dispatch = measured;
      console.log(
        `  bed cleared → print command at the agent ${String(measured.ms_p99).padStart(6)} ms p99 (goal ≤ 500: ${measured.ms_p99 <= 500 ? "yes" : "NO"})  p50 ${measured.ms_p50} ms max ${measured.ms_max} ms  ${measured.clears} clears, ${PRINTERS} printers, ${QUEUED} queued${lost ? `  LOST ${lost}` : ""}`,
      );
    }
    console.log(`API peak RSS: ${api.peakRssMb()} MB`);
    console.log(JSON.stringify({ enqueue, dispatch }));
  } finally {
    await api.stop();
  }
} finally {
  if (values["keep-db"]) console.log(`kept database ${dbName}`);
  else await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
