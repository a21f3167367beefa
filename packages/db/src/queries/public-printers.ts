import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { type PrinterStatus, printers } from "../schema/index.ts";
import { type PrinterFreshness, printerLiveness } from "./printer-liveness.ts";

export type { PrinterFreshness } from "./printer-liveness.ts";

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

function columns(freshness: PrinterFreshness) {
  const live = printerLiveness(freshness);
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
    progressPercentage: live.progressPercentage,
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
    conditions.push(sql`${printerLiveness(freshness).status} = ${filters.status}`);
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
