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

/** The statement that reads what `deferredOrgChanges` answers (its rows: `orgChangesOf`). */
export const DEFERRED_ORG_CHANGES = `select current_setting('apf.deferred_org_changes', true) as changed`;

/** The payloads in the rows of DEFERRED_ORG_CHANGES. */
export function orgChangesOf(rows: readonly Record<string, unknown>[]): string[] {
  const changed = (rows[0] as { changed: string | null } | undefined)?.changed ?? "";
  return changed.split(" ").filter((p) => p !== "");
}

/**
 * What this transaction changed since `deferOrgChanges`, as the triggers would have announced it:
 * "<table>:<organization id>" payloads, each once. Read it last, just before the commit.
 */
export async function deferredOrgChanges(tx: Transaction): Promise<string[]> {
  const result = await tx.execute(sql.raw(DEFERRED_ORG_CHANGES));
  return orgChangesOf((result as { rows: Record<string, unknown>[] }).rows);
}
