import { randomBytes } from "node:crypto";
import { createDatabase } from "@apf/db";
import pg from "pg";
import { measureIngest } from "./ingest-load.ts";
import { seed } from "./seed.ts";
import { cpuMs, startApi } from "./server.ts";

const admin = async (q: string) => {
  const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
  await c.connect();
  await c.query(q);
  await c.end();
};
const dbName = `apf_prof_${randomBytes(3).toString("hex")}`;
await admin(`create database ${dbName}`);
const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
try {
  const d = await createDatabase({ databaseUrl: url });
  const s = await seed(d.db, 10);
  await d.close();
  const api = await startApi(
    { DATABASE_URL: url, REDIS_URL: "redis://127.0.0.1:6379", LOG_LEVEL: "warn" },
    process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : [],
  );
  const c0 = cpuMs(api.pid);
  const r = await measureIngest(
    api.base,
    s.ingest.agents.map((a) => a.token),
    1000,
    8,
  );
  console.log(
    r,
    "µs/state",
    ((cpuMs(api.pid)! - c0!) * 1000) / r.machine_states_total,
    "rss",
    api.peakRssMb(),
  );
  await api.stop();
} finally {
  await admin(`drop database ${dbName} with (force)`);
}
