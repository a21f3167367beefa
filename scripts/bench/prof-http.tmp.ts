import { randomBytes } from "node:crypto";
import { createDatabase } from "@apf/db";
import autocannon from "autocannon";
import pg from "pg";
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
const path = process.argv[2] ?? "/healthz";
try {
  const d = await createDatabase({ databaseUrl: url });
  const s = await seed(d.db, 400);
  await d.close();
  const api = await startApi(
    { DATABASE_URL: url, REDIS_URL: "redis://127.0.0.1:6379", LOG_LEVEL: "warn" },
    process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : [],
  );
  const keys = s.measured.keys;
  const run = async () => {
    const c0 = cpuMs(api.pid)!;
    let i = 0;
    const r = await autocannon({
      url: api.base + path,
      connections: 50,
      duration: 5,
      requests: [
        {
          setupRequest: (req: any) => ({
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${keys[i++ % keys.length]}` },
          }),
        },
      ],
    });
    console.log(
      path,
      r.requests.average,
      "req/s p50",
      r.latency.p50,
      "p99",
      r.latency.p99,
      "non2xx",
      r.non2xx,
      "cpu µs/req",
      (((cpuMs(api.pid)! - c0) * 1000) / r.requests.total).toFixed(0),
      "rss",
      api.peakRssMb(),
    );
  };
  await run();
  await run();
  await api.stop();
} finally {
  await admin(`drop database ${dbName} with (force)`);
}
