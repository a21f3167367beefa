// CPU time of the local PostgreSQL backends serving one database, from /proc (Linux): each
// backend's process title names its database ("postgres: user db host(port) state"). Shared
// processes (WAL writer, checkpointer) are left out: other databases' work would count there.
import { readdirSync, readFileSync } from "node:fs";
import { cpuMs } from "./server.ts";

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
      // "postgres: [cluster: ]user database host(port) state"
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(" ");
      if (title[0] !== "postgres:" || !title.slice(1, 4).includes(database)) continue;
      const ms = cpuMs(Number(pid));
      if (ms !== null) byPid.set(pid, ms);
    } catch {
      // the process ended while we looked
    }
  }
  return byPid;
}

/**
 * CPU the backends spent between two readings: a backend that appeared counts whole, one that
 * ended (the pool closes idle connections) counts nothing for its last stretch. `leaveOut`: the
 * backends of the measurement itself (the wait sampler's).
 */
export function postgresCpuSpentMs(
  before: Map<string, number> | null,
  after: Map<string, number> | null,
  leaveOut: readonly string[] = [],
): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) {
    if (!leaveOut.includes(pid)) spent += ms - Math.min(ms, before.get(pid) ?? 0);
  }
  return spent;
}
