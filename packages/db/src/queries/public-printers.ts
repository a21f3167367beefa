import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { type Database, preparedPerDatabase, type Queryable } from "../client.ts";
import {
  filamentSpools,
  jobs,
  PRINTER_STATUSES,
  printerListVersions,
  printers,
} from "../schema/index.ts";
import {
  type PrinterFreshness,
  printerLiveness,
  reportedWithinStaleWindow,
} from "./printer-liveness.ts";
import { shownPercent } from "./shown-percent.ts";

/** The statuses integrators see: the observed ones, and `maintenance` while a printer is in it. */
export const PUBLIC_PRINTER_STATUSES = [...PRINTER_STATUSES, "maintenance"] as const;
export type PublicPrinterStatus = (typeof PUBLIC_PRINTER_STATUSES)[number];

export type { PrinterFreshness } from "./printer-liveness.ts";

export interface PublicPrinterFilters {
  isActive?: boolean;
  status?: PublicPrinterStatus;
  location?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * The one liveness rule (printer-liveness.ts), and on top of it AutoPrintFarm's `maintenance`:
 * a printer in maintenance reads `maintenance` whatever its agent reports. `fresh`: its agent
 * reported within the stale window.
 */
export function liveness(freshness: PrinterFreshness) {
  const live = printerLiveness(freshness);
  const fresh = reportedWithinStaleWindow(freshness);
  return {
    ...live,
    status: sql<PublicPrinterStatus>`(case when ${printers.inMaintenance} then 'maintenance' else ${live.status} end)`,
    fresh: sql<boolean>`(${fresh})`,
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
    progressPercentage: live.progressPercentage,
  };
}

/** The outer row's columns, table-qualified (drizzle leaves a single-table select's bare). */
const outerPrinterId = sql`${sql.identifier("printers")}.${sql.identifier("id")}`;
const outerPrinterOrg = sql`${sql.identifier("printers")}.${sql.identifier("organization_id")}`;

/** Seconds of the printer's completed prints (start to end, else the reported print time). */
const totalPrintTimeS = sql<number>`coalesce((
  select sum(coalesce(
    extract(epoch from (j.time_completed - j.time_started)),
    j.actual_print_time_minutes * 60
  ))::bigint
  from ${jobs} j
  where j.printer_id = ${outerPrinterId} and j.organization_id = ${outerPrinterOrg}
    and j.status = 'completed'
), 0)::float8`;

/**
 * Percent of filament left on the spool loaded on the printer, when a spool is loaded and its
 * full weight is known; null otherwise.
 */
const filamentLevel = sql<number | null>`(
  select round((s.remaining_grams / s.spool_weight_grams * 100)::numeric, 1)::float8
  from ${filamentSpools} s
  where s.printer_id = ${outerPrinterId} and s.organization_id = ${outerPrinterOrg}
    and s.spool_weight_grams > 0
  order by s.updated_at desc, s.id
  limit 1
)`;

function detailColumns(freshness: PrinterFreshness) {
  return {
    ...columns(freshness),
    firmwareVersion: printers.firmwareVersion,
    totalPrintTimeS: totalPrintTimeS,
    filamentLevel,
    lastMaintenanceDate: printers.lastMaintenanceDate,
    inMaintenance: printers.inMaintenance,
    maintenanceType: printers.maintenanceType,
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

export type PublicPrinterRow = Awaited<ReturnType<typeof listPublicPrinters>>["rows"][number];
export type PublicPrinterDetailRow = NonNullable<Awaited<ReturnType<typeof findPublicPrinter>>>;

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

/**
 * One printer of the organization with its detail fields (firmware, print time, maintenance),
 * or undefined (also for another organization's id).
 */
export async function findPublicPrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const [row] = await db
    .select(detailColumns(freshness))
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/** What GET /printers/{id}/status shows: the latest telemetry and whether the agent is fresh. */
export async function findPublicPrinterLiveStatus(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const live = liveness(freshness);
  const [row] = await db
    .select({
      id: printers.id,
      status: live.status,
      hubOnline: live.fresh,
      progressPercentage: shownPercent(printers.progressPercentage),
      temperatures: printers.temperatures,
      printTimeLeftS: printers.printTimeLeftS,
      currentJobId: printers.currentJobId,
      currentColor: printers.currentColor,
      currentColorHex: printers.currentColorHex,
      currentFilamentType: printers.currentFilamentType,
      lastTelemetryAt: printers.observedAt,
    })
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/**
 * Puts a printer into maintenance (recording when, and the kind) or takes it out; returns
 * whether the organization has the printer. Entering sets last_maintenance_date; leaving keeps it.
 */
export async function setPrinterMaintenance(
  db: Queryable,
  organizationId: string,
  printerId: string,
  change: { inMaintenance: boolean; maintenanceType: string | null },
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(printers)
    .set({
      inMaintenance: change.inMaintenance,
      maintenanceType: change.inMaintenance ? change.maintenanceType : null,
      // Set on entering only: a repeated "in maintenance" keeps the date it began.
      ...(change.inMaintenance
        ? {
            lastMaintenanceDate: sql`(case when ${printers.inMaintenance} then ${printers.lastMaintenanceDate} else ${at.toISOString()}::timestamptz end)`,
          }
        : {}),
      updatedAt: at,
    })
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .returning({ id: printers.id });
  return rows.length > 0;
}

const versionQuery = preparedPerDatabase((db: Database) =>
  db
    .select({ version: printerListVersions.version })
    .from(printerListVersions)
    .where(eq(printerListVersions.organizationId, sql.placeholder("organizationId")))
    .prepare("apf_printer_list_version"),
);

/**
 * The organization's printer-list version: a number that Postgres triggers bump with every
 * insert, update or delete of its printers (0 before its first printer). A prepared statement.
 */
export async function printerListVersion(db: Database, organizationId: string): Promise<number> {
  const [row] = await versionQuery(db).execute({ organizationId });
  return row?.version ?? 0;
}
