import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import type { PrinterStatus } from "../schema/index.ts";

/** A printer the sweep found stale: its announced status is now `offline`. */
export interface StalePrinter {
  id: string;
  organizationId: string;
  /** The status announced before. */
  previous: PrinterStatus;
  inMaintenance: boolean;
}

/**
 * Marks up to `limit` printers whose last report is older than `cutoff` as announced `offline`.
 * Each is taken only under its agent's report lock (ingest's `openAgentReport`; try-lock, so a
 * printer whose agent is reporting right now is left for the next sweep): a report and the sweep
 * never both decide from the same announced status. Call in a transaction.
 */
export async function markStalePrinters(
  tx: Transaction,
  cutoff: Date,
  limit: number,
): Promise<StalePrinter[]> {
  const at = cutoff.toISOString();
  const result = await tx.execute(sql`
    with stale as materialized (
      select id, agent_id, announced_status from printers
      where announced_status <> 'offline' and last_seen_at < ${at}::timestamptz
      order by last_seen_at limit ${limit}
    ), locked as materialized (
      select id, announced_status from stale
      where pg_try_advisory_xact_lock(hashtextextended(coalesce(agent_id, id)::text, 0))
    )
    update printers p set announced_status = 'offline'
    from locked l
    where p.id = l.id and p.announced_status <> 'offline' and p.last_seen_at < ${at}::timestamptz
    returning p.id, p.organization_id, l.announced_status as previous, p.in_maintenance`);
  return (
    result as {
      rows: {
        id: string;
        organization_id: string;
        previous: PrinterStatus;
        in_maintenance: boolean;
      }[];
    }
  ).rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    previous: r.previous,
    inMaintenance: r.in_maintenance,
  }));
}

/**
 * Marks up to `limit` connected agents whose last report is older than `cutoff` as disconnected,
 * each under its report lock as `markStalePrinters` does. Returns them.
 */
export async function markStaleAgents(
  tx: Transaction,
  cutoff: Date,
  limit: number,
): Promise<{ id: string; organizationId: string }[]> {
  const at = cutoff.toISOString();
  const result = await tx.execute(sql`
    with stale as materialized (
      select id from agents
      where connected and (last_seen_at is null or last_seen_at < ${at}::timestamptz)
      limit ${limit}
    ), locked as materialized (
      select id from stale where pg_try_advisory_xact_lock(hashtextextended(id::text, 0))
    )
    update agents a set connected = false
    from locked l
    where a.id = l.id and a.connected
      and (a.last_seen_at is null or a.last_seen_at < ${at}::timestamptz)
    returning a.id, a.organization_id`);
  return (result as { rows: { id: string; organization_id: string }[] }).rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
  }));
}
