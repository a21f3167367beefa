import { and, asc, eq, gte, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { type PrinterStatus, printers } from "../schema/index.ts";

/** How old a printer's last report may be before it reads offline. */
export interface PrinterFreshness {
  now: Date;
  staleAfterS: number;
}

export interface PublicPrinterFilters {
  isActive?: boolean;
  status?: PrinterStatus;
  location?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * Status and online as integrators see them: a printer not heard from within the stale window
 * is offline whatever was last stored, and a printer is online exactly when it is fresh, its host
 * answered and its status is not offline. Computed in SQL so the status filter agrees with rows.
 */
export function liveness({ now, staleAfterS }: PrinterFreshness) {
  const cutoff = new Date(now.getTime() - staleAfterS * 1000);
  const fresh = and(isNotNull(printers.lastSeenAt), gte(printers.lastSeenAt, cutoff))!;
  return {
    status: sql<PrinterStatus>`(case when ${fresh} then ${printers.status} else 'offline' end)`,
    online: sql<boolean>`(${fresh} and ${printers.reachable} and ${printers.status} <> 'offline')`,
  };
}

function columns(freshness: PrinterFreshness) {
  const live = liveness(freshness);
  return {
    id: printers.id,
    name: printers.name,
    model: printers.model,
    manufacturer: printers.manufacturer,
    status: live.status,
    location: printers.location,
    nozzleSize: printers.nozzleSize,
    currentColor: printers.currentColor,
    currentColorHex: printers.currentColorHex,
    currentFilamentType: printers.currentFilamentType,
    currentBuildPlate: printers.currentBuildPlate,
    hasAms: printers.hasAms,
    isActive: printers.isActive,
    createdAt: printers.createdAt,
    updatedAt: printers.updatedAt,
    sourceType: printers.sourceType,
    sourceVersion: printers.sourceVersion,
    agentId: printers.agentId,
    online: live.online,
    lastSeenAt: printers.lastSeenAt,
    temperatures: printers.temperatures,
    currentJobId: printers.currentJobId,
    progressPercentage: printers.progressPercentage,
  };
}

function filtersWhere(
  organizationId: string,
  filters: PublicPrinterFilters,
  freshness: PrinterFreshness,
): SQL {
  const conditions: SQL[] = [eq(printers.organizationId, organizationId)];
  if (filters.isActive !== undefined) conditions.push(eq(printers.isActive, filters.isActive));
  if (filters.status !== undefined) {
    conditions.push(sql`${liveness(freshness).status} = ${filters.status}`);
  }
  if (filters.location !== undefined) conditions.push(eq(printers.location, filters.location));
  if (filters.search !== undefined) {
    // strpos, not LIKE: the search text is matched literally, % and _ included.
    conditions.push(sql`strpos(lower(${printers.name}), lower(${filters.search})) > 0`);
  }
  return and(...conditions)!;
}

export type PublicPrinterRow = NonNullable<Awaited<ReturnType<typeof findPublicPrinter>>>;

/** The organization's printers by name; all of them, or one page and the total when paged. */
export async function listPublicPrinters(
  db: Queryable,
  organizationId: string,
  filters: PublicPrinterFilters,
  freshness: PrinterFreshness,
  page?: PageRequest,
) {
  const where = filtersWhere(organizationId, filters, freshness);
  const query = db
    .select(columns(freshness))
    .from(printers)
    .where(where)
    .orderBy(asc(printers.name), asc(printers.id));
  if (!page) return { rows: await query, count: undefined };
  const [rows, [total]] = await Promise.all([
    query.limit(page.limit).offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(printers).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** One printer of the organization, or undefined (also for another organization's id). */
export async function findPublicPrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const [row] = await db
    .select(columns(freshness))
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}
