import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { filamentSpools } from "../schema/index.ts";
import type { PageRequest } from "./paging.ts";

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

export interface PublicFilamentFilters {
  /** true: at or below the spool's low_threshold; false: the others (spools without one too). */
  lowStock?: boolean;
  /** Exact material type, e.g. `PETG`. */
  materialType?: string;
  /** Colour, compared case-insensitively. */
  color?: string;
}

/** A spool without a threshold is never low. */
const isLow = sql<boolean>`(${filamentSpools.lowThreshold} is not null and ${filamentSpools.remainingGrams} <= ${filamentSpools.lowThreshold})`;

function filtersWhere(organizationId: string, filters: PublicFilamentFilters): SQL {
  const conditions: SQL[] = [eq(filamentSpools.organizationId, organizationId)];
  if (filters.lowStock === true) conditions.push(isLow);
  if (filters.lowStock === false) conditions.push(sql`not ${isLow}`);
  if (filters.materialType !== undefined) {
    conditions.push(eq(filamentSpools.type, filters.materialType));
  }
  if (filters.color !== undefined) {
    conditions.push(sql`lower(${filamentSpools.color}) = lower(${filters.color})`);
  }
  return and(...conditions)!;
}

export type PublicFilamentRow = NonNullable<Awaited<ReturnType<typeof findPublicFilamentSpool>>>;

/** The organization's filament spools, oldest first; all, or one page and the total when paged. */
export async function listPublicFilamentSpools(
  db: Queryable,
  organizationId: string,
  filters: PublicFilamentFilters,
  page?: PageRequest,
) {
  const where = filtersWhere(organizationId, filters);
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

/**
 * Whether a spool is low (the `low_stock` filter's rule), locked until the transaction ends when
 * `lock` (read before a change, so the change's inventory.low_stock knows where it started).
 * Undefined when the organization has no such spool.
 */
export async function isSpoolLow(
  db: Queryable,
  organizationId: string,
  spoolId: string,
  lock = false,
): Promise<boolean | undefined> {
  const query = db
    .select({ low: isLow })
    .from(filamentSpools)
    .where(and(eq(filamentSpools.organizationId, organizationId), eq(filamentSpools.id, spoolId)));
  const [row] = lock ? await query.for("update") : await query;
  return row?.low;
}
