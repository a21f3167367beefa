import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { filamentSpools } from "../schema/index.ts";
import type { PageRequest } from "./public-printers.ts";

const columns = {
  id: filamentSpools.id,
  type: filamentSpools.type,
  color: filamentSpools.color,
  hexCode: filamentSpools.hexCode,
  brand: filamentSpools.brand,
  diameter: filamentSpools.diameter,
  remainingGrams: filamentSpools.remainingGrams,
  spoolWeightGrams: filamentSpools.spoolWeightGrams,
  lowThreshold: filamentSpools.lowThreshold,
  status: filamentSpools.status,
  location: filamentSpools.location,
  printerId: filamentSpools.printerId,
  createdAt: filamentSpools.createdAt,
  updatedAt: filamentSpools.updatedAt,
};

export type PublicFilamentRow = NonNullable<Awaited<ReturnType<typeof findPublicFilamentSpool>>>;

/** The organization's filament spools, oldest first; all, or one page and the total when paged. */
export async function listPublicFilamentSpools(
  db: Queryable,
  organizationId: string,
  page?: PageRequest,
) {
  const where = eq(filamentSpools.organizationId, organizationId);
  const query = db
    .select(columns)
    .from(filamentSpools)
    .where(where)
    .orderBy(asc(filamentSpools.createdAt), asc(filamentSpools.id));
  if (!page) return { rows: await query, count: undefined };
  const [rows, [total]] = await Promise.all([
    query.limit(page.limit).offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(filamentSpools).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** One spool of the organization, or undefined (also for another organization's id). */
export async function findPublicFilamentSpool(
  db: Queryable,
  organizationId: string,
  spoolId: string,
) {
  const [row] = await db
    .select(columns)
    .from(filamentSpools)
    .where(and(eq(filamentSpools.organizationId, organizationId), eq(filamentSpools.id, spoolId)))
    .limit(1);
  return row;
}
