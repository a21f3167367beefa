import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { type Database, preparedPerDatabase, type Queryable } from "../client.ts";
import { filamentSpools, jobs, printerListVersions, printers } from "../schema/index.ts";

/**
 * Printers, the entity: one select of what a printer's view reads (@apf/domain's printerView
 * turns a row into what every surface shows: status with maintenance and staleness, online,
 * progress, temperatures, available actions), and the writes of the printer's own columns.
 */

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

/** The printer's stored columns: what its view reads (nothing of another table, so a change to
 * the view is a change to the row, which the list caches watch). */
const rowColumns = getTableColumns(printers);

/** One printer's row with its detail figures (print time, filament level). */
const detailColumns = { ...rowColumns, totalPrintTimeS, filamentLevel };

export type PrinterRow = Awaited<ReturnType<typeof listPrinterRows>>[number];
export type PrinterDetailRow = NonNullable<Awaited<ReturnType<typeof findPrinterDetailRow>>>;

/** The organization's printers by name. */
export async function listPrinterRows(db: Queryable, organizationId: string) {
  return db
    .select(rowColumns)
    .from(printers)
    .where(eq(printers.organizationId, organizationId))
    .orderBy(asc(printers.name), asc(printers.id));
}

/**
 * What a printer's view reads (@apf/domain's PrinterFacts) with its id and name, and nothing else:
 * for reads that count or list printers by their view's status over a whole farm (the analytics
 * reports), a fraction of the full row's columns to fetch and decode.
 */
const factColumns = {
  id: printers.id,
  name: printers.name,
  status: printers.status,
  inMaintenance: printers.inMaintenance,
  isActive: printers.isActive,
  reachable: printers.reachable,
  lastSeenAt: printers.lastSeenAt,
  progressPercentage: printers.progressPercentage,
  printTimeLeftS: printers.printTimeLeftS,
  currentJobId: printers.currentJobId,
  temperatures: printers.temperatures,
};

/** The organization's printers' view facts, id and name, by name. */
export async function listPrinterFacts(db: Queryable, organizationId: string) {
  return db
    .select(factColumns)
    .from(printers)
    .where(eq(printers.organizationId, organizationId))
    .orderBy(asc(printers.name), asc(printers.id));
}

/** The organization's printers among `printerIds` (in no particular order). */
export async function findPrinterRows(
  db: Queryable,
  organizationId: string,
  printerIds: readonly string[],
) {
  if (printerIds.length === 0) return [];
  return db
    .select(rowColumns)
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), inArray(printers.id, [...printerIds])));
}

/** One printer of the organization, or undefined (also for another organization's id). */
export async function findPrinterRow(db: Queryable, organizationId: string, printerId: string) {
  const [row] = await db
    .select(rowColumns)
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/** One printer of the organization with its detail figures, or undefined. */
export async function findPrinterDetailRow(
  db: Queryable,
  organizationId: string,
  printerId: string,
) {
  const [row] = await db
    .select(detailColumns)
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row;
}

/** Whether the organization has the printer. */
export async function printerExists(db: Queryable, organizationId: string, printerId: string) {
  const [row] = await db
    .select({ id: printers.id })
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row !== undefined;
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

/** Applies the patch; whether the organization has the printer. */
export async function updatePrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  patch: PrinterPatch,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(printers)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .returning({ id: printers.id });
  return rows.length > 0;
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

/**
 * Locks the organization's printer row until the transaction ends (a change that announces the
 * printer's status reads "before" under it); false when there is no such printer.
 */
export async function lockPrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: printers.id })
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .for("update");
  return rows.length > 0;
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

const versionQuery = preparedPerDatabase((db: Database) =>
  db
    // The sum of the organization's counters (one per slot, schema/printer-list-versions.ts).
    .select({ version: sql<number>`coalesce(sum(${printerListVersions.version}), 0)::float8` })
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
