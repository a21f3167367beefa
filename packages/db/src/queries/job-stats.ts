import { sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { organizations } from "../schema/index.ts";

/*
 * The background regrouping of the analytics rollups after an organization's time zone changed
 * (migration job_stats_regroup_in_background): which organizations wait for it, and one
 * organization's regrouping (apf_regroup_job_stats, all of it in SQL).
 */

/** node-postgres and PGlite both answer { rows }. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Organizations whose rollups wait for regrouping, oldest id first (a partial index). */
export async function staleJobStatsOrganizations(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.execute(sql`select o.id from ${organizations} o
    where o.job_stats_stale order by o.id limit ${limit}`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/**
 * Regroups one organization's rollups in its time zone now, in one statement: run it on a
 * connection without the request's statement timeout (DatabaseHandle.maintenance). True when the
 * rollups are current afterwards; false when another session is at it, they were not stale, or
 * the zone changed again meanwhile (they stay stale).
 */
export async function regroupJobStats(db: Queryable, organizationId: string): Promise<boolean> {
  const result = await db.execute(
    sql`select apf_regroup_job_stats(${organizationId}::uuid) as current`,
  );
  return rowsOf<{ current: boolean }>(result)[0]?.current === true;
}
