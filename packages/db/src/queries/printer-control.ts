import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { jobs, printers } from "../schema/index.ts";
import { liveness, type PrinterFreshness } from "./public-printers.ts";

/**
 * What a control request checks of a printer: its live status (offline when stale), whether it
 * is active, the agent that carries its commands, and whether a job is still open on it.
 */
export async function findControlTarget(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const openJob = db
    .select({ one: sql`1` })
    .from(jobs)
    .where(
      and(
        eq(jobs.organizationId, organizationId),
        eq(jobs.printerId, printers.id),
        inArray(jobs.status, ["printing", "paused"]),
      ),
    );
  const [row] = await db
    .select({
      id: printers.id,
      name: printers.name,
      status: liveness(freshness).status,
      isActive: printers.isActive,
      agentId: printers.agentId,
      machineId: printers.machineId,
      hasOpenJob: sql<boolean>`exists (${openJob})`,
    })
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/** Records that the printer's bed was cleared: it is ready for its next job. */
export async function markBedCleared(
  db: Queryable,
  organizationId: string,
  printerId: string,
  at: Date,
) {
  await db
    .update(printers)
    .set({ bedClearedAt: at })
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)));
}
