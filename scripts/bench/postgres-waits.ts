// What the bench database's busy backends wait on, sampled from pg_stat_activity while a row
// runs: where a report's time goes inside Postgres (a lock, the WAL flush, the client), before
// any profile of the API.
import pg from "pg";

export interface WaitSampler {
  /** The sampler's own backend: its CPU is not the row's (postgresCpuSpentMs leaves it out). */
  pid: string;
  /** Samples of busy backends by "<wait_event_type>:<wait_event>" ("CPU" when not waiting). */
  stop(): Promise<Record<string, number>>;
}

export async function sampleWaits(
  connectionString: string,
  database: string,
  everyMs = 10,
): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const { rows: own } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
  const counts: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ wait: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait
         from pg_stat_activity
         where datname = $1 and state in ('active', 'idle in transaction') and pid <> pg_backend_pid()`,
        [database],
      );
      for (const { wait } of rows) counts[wait] = (counts[wait] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    pid: String(own[0]!.pid),
    async stop() {
      running = false;
      await loop;
      await client.end();
      return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
    },
  };
}
