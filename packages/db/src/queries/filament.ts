import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { filamentSpools, type SpoolStatus } from "../schema/index.ts";

export interface SpoolFields {
  type: string;
  color?: string | null;
  hexCode?: string | null;
  brand?: string | null;
  /** Millimetres as a decimal string, e.g. "1.75". */
  diameter?: string;
  remainingGrams?: number;
  spoolWeightGrams?: number | null;
  lowThreshold?: number | null;
  status?: SpoolStatus;
  location?: string | null;
  printerId?: string | null;
}

/** Creates a filament spool for the organization. */
export async function insertSpool(
  db: Queryable,
  organizationId: string,
  input: SpoolFields,
  at: Date,
) {
  const [row] = await db
    .insert(filamentSpools)
    .values({ ...input, organizationId, createdAt: at, updatedAt: at })
    .returning();
  return row!;
}

/** The organization's spools, oldest first. */
export async function listSpools(db: Queryable, organizationId: string) {
  return db
    .select()
    .from(filamentSpools)
    .where(eq(filamentSpools.organizationId, organizationId))
    .orderBy(asc(filamentSpools.createdAt), asc(filamentSpools.id));
}

/** One spool of the organization, or undefined. */
export async function findSpool(db: Queryable, organizationId: string, spoolId: string) {
  const [row] = await db
    .select()
    .from(filamentSpools)
    .where(and(eq(filamentSpools.organizationId, organizationId), eq(filamentSpools.id, spoolId)))
    .limit(1);
  return row;
}

/** Applies the patch; undefined when the organization has no such spool. */
export async function updateSpool(
  db: Queryable,
  organizationId: string,
  spoolId: string,
  patch: Partial<SpoolFields>,
  at: Date,
) {
  const [row] = await db
    .update(filamentSpools)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(filamentSpools.organizationId, organizationId), eq(filamentSpools.id, spoolId)))
    .returning();
  return row;
}
