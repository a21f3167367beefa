// node --import tsx scripts/bench/ingest-job-ends.ts [-- --rounds 10] [-- --machines 1000]
// What the analytics rollups cost ingest: the real service (as `npm start` runs it) takes
// 1,000-machine reports of one agent, round after round: one that starts a job on every machine,
// one of progress (the common report: nothing ends), and one where every job ends (the rollups'
// worst case: a thousand job ends in one transaction). Rounds alternate between the rollup
// triggers on and off (ALTER TABLE … DISABLE TRIGGER between rounds, on one database), so both
// see the same phases of a machine whose speed drifts. Prints each report kind's median round
// trip with the triggers on and off.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { mintToken } from "@apf/auth";
import { agents, createDatabase, organizations } from "@apf/db";
import pg from "pg";
import { machine, report } from "../../apps/api/test/agent/report-builder.ts";
import { startApi } from "./server.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "10" },
    machines: { type: "string", default: "1000" },
  },
});
const rounds = Number(values.rounds);
const count = Number(values.machines);
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const dbName = `apf_ingest_ends_${randomBytes(4).toString("hex")}`;
await query(baseUrl, `create database ${dbName}`);
const u = new URL(baseUrl);
u.pathname = `/${dbName}`;
const dbUrl = u.toString();
const database = await createDatabase({ databaseUrl: dbUrl });
const [org] = await database.db
  .insert(organizations)
  .values({ name: "Ingest farm", timeZone: "America/New_York" })
  .returning({ id: organizations.id });
const minted = mintToken("agent");
await database.db.insert(agents).values({
  organizationId: org!.id,
  name: "bench agent",
  tokenHash: minted.hash,
  preview: minted.preview,
});
await database.close();

// Observed a second apart, in the past (no clock-skew clamp), one report after another.
let clock = Date.now() - (rounds * 3 + 60) * 1000;
function body(kind: "start" | "progress" | "end", round: number) {
  clock += 1000;
  const at = new Date(clock).toISOString();
  const machines = Array.from({ length: count }, (_, i) =>
    kind === "end"
      ? machine({ machineId: `machine-${i}`, observedAt: at })
      : machine({
          machineId: `machine-${i}`,
          observedAt: at,
          flags: { printing: true },
          file: `part-${round}-${i % 7}.gcode`,
          completion: kind === "start" ? 99 : 100,
        }),
  );
  return JSON.stringify(report(machines, at));
}

const TRIGGERS = ["jobs_stats_insert", "jobs_stats_update", "jobs_stats_delete"];
const times: Record<string, number[]> = {};
const api = await startApi({ DATABASE_URL: dbUrl, REDIS_URL: redisUrl, LOG_LEVEL: "warn" });
try {
  const post = async (text: string) => {
    const started = performance.now();
    const res = await fetch(`${api.base}/agent/v1/reports`, {
      method: "POST",
      headers: { authorization: `Bearer ${minted.token}`, "content-type": "application/json" },
      body: text,
    });
    await res.text();
    if (res.status !== 202) throw new Error(`report answered ${res.status}`);
    return performance.now() - started;
  };
  // A warm-up round, then the measured ones: the triggers on in even rounds, off in odd ones.
  for (let round = 0; round <= rounds; round++) {
    const on = round % 2 === 0;
    const toggle = TRIGGERS.map((t) => `${on ? "enable" : "disable"} trigger ${t}`).join(", ");
    await query(dbUrl, `alter table jobs ${toggle}`);
    const bodies = (["start", "progress", "end"] as const).map((k) => [k, body(k, round)] as const);
    for (const [kind, text] of bodies) {
      const ms = await post(text);
      const key = `${kind} ${on ? "on" : "off"}`;
      if (round > 0) times[key] = [...(times[key] ?? []), ms];
    }
  }
  const [ended] = await query(
    dbUrl,
    "select count(*)::int as n from jobs where status = 'completed'",
  );
  console.log(`jobs completed by the end reports: ${ended.n} (expected ${(rounds + 1) * count})`);
} finally {
  await api.stop();
  await query(baseUrl, `drop database if exists ${dbName} with (force)`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const kind of ["start", "progress", "end"]) {
  const on = median(times[`${kind} on`]!);
  const off = median(times[`${kind} off`]!);
  const change = (((on - off) / off) * 100).toFixed(1);
  console.log(
    `  ${`${count}-machine report: ${kind}`.padEnd(32)} triggers on ${on.toFixed(1)} ms, off ${off.toFixed(1)} ms (${change} %)`,
  );
}
