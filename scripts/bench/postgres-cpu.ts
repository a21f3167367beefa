// CPU time of the local PostgreSQL backends serving one database, from /proc (Linux): each
// backend's process title names its database ("postgres: user db host(port) state"). Shared
// processes (WAL writer, checkpointer) are left out: other databases' work would count there.
import { readdirSync, readFileSync } from "node:fs";

/** CPU (user + system, ms) of each backend connected to `database`, or null without /proc. */
export function postgresCpuMs(database: string): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const byPid = new Map<string, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      if (stat.slice(open + 1, close) !== "postgres") continue;
      // "postgres: [cluster: ]user database host(port) state"
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(" ");
      if (title[0] !== "postgres:" || !title.slice(1, 4).includes(database)) continue;
      const fields = stat.slice(close + 2).split(" ");
      // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second here).
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the process ended while we looked
    }
  }
  return byPid;
}

/**
 * CPU the backends spent between two readings: a backend that appeared counts whole, one that
 * ended (the pool closes idle connections) counts nothing for its last stretch.
 */
export function postgresCpuSpentMs(
  before: Map<string, number> | null,
  after: Map<string, number> | null,
): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - Math.min(ms, before.get(pid) ?? 0);
  return spent;
}

/** Reads a few families of the API's /metrics (Prometheus text) as name{labels} → value. */
export async function scrapeMetrics(
  base: string,
  token: string,
  names: string[],
): Promise<Record<string, number>> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return {};
  const out: Record<string, number> = {};
  for (const line of (await res.text()).split("\n")) {
    if (line.startsWith("#")) continue;
    const [series, value] = line.split(" ");
    if (!series || value === undefined) continue;
    const name = series.split("{")[0]!;
    if (names.includes(name)) out[series] = Number(value);
  }
  return out;
}
