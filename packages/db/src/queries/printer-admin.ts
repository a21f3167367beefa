import { and, asc, eq, getTableColumns } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { printers } from "../schema/index.ts";
import { type PrinterFreshness, printerLiveness } from "./printer-liveness.ts";

/** A printer's stored columns, with status, online and progress as the liveness rule reads them. */
function liveColumns(freshness: PrinterFreshness) {
  return { ...getTableColumns(printers), ...printerLiveness(freshness) };
}

export type LivePrinterRow = Awaited<ReturnType<typeof listPrinters>>[number];

/** The organization's printers by name, read through the liveness rule. */
export async function listPrinters(
  db: Queryable,
  organizationId: string,
  freshness: PrinterFreshness,
) {
  return db
    .select(liveColumns(freshness))
    .from(printers)
    .where(eq(printers.organizationId, organizationId))
    .orderBy(asc(printers.name), asc(printers.id));
}

/** One printer of the organization, or undefined. */
export async function findPrinter(db: Queryable, organizationId: string, printerId: string) {
  const [row] = await db
    .select()
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/** What an owner may set on a printer: what the agent cannot know. */
export interface PrinterPatch {
  name?: string;
  model?: string | null;
  manufacturer?: string | null;
  location?: string | null;
  nozzleSize?: number | null;
  isActive?: boolean;
  currentColor?: string | null;
  currentColorHex?: string | null;
  currentFilamentType?: string | null;
  currentBuildPlate?: string | null;
}

/** Applies the patch; the printer as changed (read through the liveness rule at `at`), or
 * undefined when the organization has no such printer. */
export async function updatePrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  patch: PrinterPatch,
  freshness: PrinterFreshness,
) {
  const [row] = await db
    .update(printers)
    .set({ ...patch, updatedAt: freshness.now })
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .returning(liveColumns(freshness));
  return row;
}
