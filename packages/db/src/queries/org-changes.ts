import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";

/**
 * From here to the end of the transaction its changes to printers, jobs and SKUs NOTIFY nothing
 * at commit: the triggers collect them instead (migration org_changes_without_queueing), and the
 * caller announces `deferredOrgChanges` once the transaction has committed.
 */
export async function deferOrgChanges(tx: Transaction): Promise<void> {
  await tx.execute(sql`select set_config('apf.defer_org_changes', 'on', true)`);
}

/**
 * What this transaction changed since `deferOrgChanges`, as the triggers would have announced it:
 * "<table>:<organization id>" payloads, each once. Read it last, just before the commit.
 */
export async function deferredOrgChanges(tx: Transaction): Promise<string[]> {
  const result = await tx.execute(
    sql`select current_setting('apf.deferred_org_changes', true) as changed`,
  );
  const [row] = (result as { rows: { changed: string | null }[] }).rows;
  return (row?.changed ?? "").split(" ").filter((p) => p !== "");
}

/**
 * A deferred-changes flag for one statement: a CTE of it, when the statement reads it before it
 * writes (its rows come from it), keeps that statement's own triggers from notifying, as
 * `deferOrgChanges` does for a transaction. The statement's caller announces what it wrote.
 */
export const DEFER_ORG_CHANGES = sql`select set_config('apf.defer_org_changes', 'on', true) as deferred`;

/** The change notification of a table of an organization, as the triggers write it. */
export function orgChange(
  table: "printers" | "jobs" | "skus" | "events",
  organizationId: string,
): string {
  return `${table}:${organizationId}`;
}
