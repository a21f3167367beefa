import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { printers } from "../schema/index.ts";

/** The organization's printers, by name. */
export async function listPrinters(db: Queryable, organizationId: string) {
  return db
    .select()
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

/** Applies the patch; undefined when the organization has no such printer. */
export async function updatePrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  patch: PrinterPatch,
  at: Date,
) {
  const [row] = await db
    .update(printers)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .returning();
  return row;
}
