import { OPEN_JOB_STATUSES } from "@apf/domain";
import { sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import {
  filamentSpools,
  jobDayTotals,
  jobs,
  printerDayStats,
  printers,
  printFiles,
  skus,
  tasks,
} from "../schema/index.ts";

/**
 * Analytics reads: aggregates over the organization's jobs in a window of whole days of the
 * organization's time zone. Days are `YYYY-MM-DD` strings; every daily series has one row per day
 * of the window, oldest first, zeros included (generate_series left-joined to the aggregate).
 * A job counts on the day it ended (time_completed) in the time zone.
 *
 * Whole-window figures read the daily rollups (job_day_totals, printer_day_stats; see
 * schema/job-stats.ts), kept by triggers as jobs end, in days of the organization's time zone:
 * a window reads a row per day and printer instead of every job that ended in it. What no rollup
 * holds (failures by reason, file and printer, the latest failures, running jobs) reads jobs through
 * narrow indexes.
 */
export interface AnalyticsWindow {
  /** First day, `YYYY-MM-DD`, included. */
  from: string;
  /** Last day, `YYYY-MM-DD`, included. */
  to: string;
  /** IANA time zone the days are read in. */
  timeZone: string;
  /** The clock's now: busy time is never counted past it. */
  now: Date;
}

/** node-postgres and PGlite both answer { rows }. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

const OPEN_STATUS_LIST = sql.raw(OPEN_JOB_STATUSES.map((s) => `'${s}'`).join(", "));

/** The window's first instant: local midnight of `from`. */
const windowStart = (w: AnalyticsWindow) =>
  sql`((${w.from}::date)::timestamp at time zone ${w.timeZone})`;
/** The instant after the window: local midnight of the day after `to`. */
const windowEnd = (w: AnalyticsWindow) =>
  sql`(((${w.to}::date) + 1)::timestamp at time zone ${w.timeZone})`;
const nowOf = (w: AnalyticsWindow) => sql`(${w.now.toISOString()}::timestamptz)`;
const endedDay = (w: AnalyticsWindow) => sql`((j.time_completed at time zone ${w.timeZone})::date)`;
/** Seconds a completed job printed: start to end, else what OctoPrint reported. */
const printedSeconds = sql`coalesce(extract(epoch from (j.time_completed - j.time_started)), j.actual_print_time_minutes * 60)`;
const days = (w: AnalyticsWindow) =>
  sql`(select d::date as day from generate_series(${w.from}::date, ${w.to}::date, interval '1 day') d)`;

export interface ProductionFilters {
  printerId?: string;
  /** A product groups its SKUs (skus.product_id). */
  productId?: string;
}

export interface ProductionDay {
  date: string;
  completed: number;
  failed: number;
  units: number;
  printSeconds: number;
}

/** The window's days as a condition on a rollup's `day` column. */
const inDays = (column: unknown, w: AnalyticsWindow) =>
  sql`${column} between ${w.from}::date and ${w.to}::date`;

/** The SKUs of a product, for a rollup's product_sku_id. */
const skusOfProduct = (organizationId: string, productId: string) =>
  sql`(select s.id from ${skus} s where s.organization_id = ${organizationId}::uuid and s.product_id = ${productId}::uuid)`;

/**
 * Each printer of the organization with its ended jobs and printing time over the window's days:
 * its running totals at the window's last day less those before its first (two index reads per
 * printer, however long the window). Seconds are rounded to the millisecond: the running sums are
 * floating point, and a job added then taken away leaves a residue (0.1 + 0.2 - 0.1 - 0.2 ≠ 0)
 * that would show a printer that printed nothing.
 */
const printerWindow = (organizationId: string, w: AnalyticsWindow) => {
  const totalsUpTo = (condition: ReturnType<typeof sql>) => sql`(
    select r.cum_ended, r.cum_completed, r.cum_failed, r.cum_busy_seconds
    from ${printerDayStats} r
    where r.organization_id = ${organizationId}::uuid and r.printer_id = p.id and ${condition}
    order by r.day desc limit 1)`;
  return sql`select p.id as printer_id,
      coalesce(hi.cum_ended, 0) - coalesce(lo.cum_ended, 0) as ended,
      coalesce(hi.cum_completed, 0) - coalesce(lo.cum_completed, 0) as completed,
      coalesce(hi.cum_failed, 0) - coalesce(lo.cum_failed, 0) as failed,
      round((coalesce(hi.cum_busy_seconds, 0) - coalesce(lo.cum_busy_seconds, 0))::numeric, 3)::float8
        as busy_seconds
    from ${printers} p
      left join lateral ${totalsUpTo(sql`r.day <= ${w.to}::date`)} hi on true
      left join lateral ${totalsUpTo(sql`r.day < ${w.from}::date`)} lo on true
    where p.organization_id = ${organizationId}::uuid`;
};

/** Completed and failed jobs by the day they ended, with units and print time of completed ones. */
export async function productionByDay(
  db: Queryable,
  organizationId: string,
  w: AnalyticsWindow,
  filters: ProductionFilters,
): Promise<ProductionDay[]> {
  // The farm's days (by product or not) are in the day totals, one printer's in its own days;
  // one printer's days of one product (a rare question) are counted from its jobs.
  const product = filters.productId
    ? sql`and r.product_sku_id in ${skusOfProduct(organizationId, filters.productId)}`
    : sql``;
  const source =
    filters.printerId && filters.productId
      ? sql`(select ${endedDay(w)} as day,
            (j.status = 'completed')::int as completed, (j.status = 'failed')::int as failed,
            case when j.status = 'completed' then j.number_of_units else 0 end as units,
            case when j.status = 'completed' then ${printedSeconds} else 0 end as print_seconds,
            j.product_sku_id
          from ${jobs} j
          where j.organization_id = ${organizationId}::uuid
            and j.printer_id = ${filters.printerId}::uuid
            and j.status in ('completed', 'failed')
            and j.time_completed >= ${windowStart(w)} and j.time_completed < ${windowEnd(w)}
        ) r where true ${product}`
      : filters.printerId
        ? sql`${printerDayStats} r where r.organization_id = ${organizationId}::uuid
            and r.printer_id = ${filters.printerId}::uuid and ${inDays(sql`r.day`, w)}`
        : sql`${jobDayTotals} r where r.organization_id = ${organizationId}::uuid
            and ${inDays(sql`r.day`, w)} ${product}`;
  const result = await db.execute(sql`
    with ended as (
      select r.day,
        sum(r.completed)::int as completed,
        sum(r.failed)::int as failed,
        sum(r.units)::int as units,
        round(sum(r.print_seconds)::numeric, 3)::float8 as print_seconds
      from ${source}
      group by r.day
    )
    select to_char(days.day, 'YYYY-MM-DD') as date,
      coalesce(e.completed, 0) as completed, coalesce(e.failed, 0) as failed,
      coalesce(e.units, 0) as units, coalesce(e.print_seconds, 0) as print_seconds
    from ${days(w)} days left join ended e on e.day = days.day
    order by days.day`);
  return rowsOf<{
    date: string;
    completed: number;
    failed: number;
    units: number;
    print_seconds: number;
  }>(result).map((r) => ({
    date: r.date,
    completed: Number(r.completed),
    failed: Number(r.failed),
    units: Number(r.units),
    printSeconds: Number(r.print_seconds),
  }));
}

export interface PrinterJobFigures {
  printerId: string;
  /** Completed, failed and cancelled jobs that ended in the window. */
  total: number;
  completed: number;
  failed: number;
  /** Seconds printed inside the window (start to end, clipped to the window and to now). */
  busySeconds: number;
}

/**
 * Per printer: jobs ended in the window, and printing time inside it; and the window's length
 * in seconds up to now (a window wholly in the future has none), the utilization's denominator.
 */
export async function printerJobFigures(
  db: Queryable,
  organizationId: string,
  w: AnalyticsWindow,
): Promise<{ printers: PrinterJobFigures[]; windowSeconds: number }> {
  const start = windowStart(w);
  const end = windowEnd(w);
  const now = nowOf(w);
  const length = db.execute(
    sql`select greatest(0, extract(epoch from (least(${end}, ${now}) - ${start})))::float8 as s`,
  );
  // Ended jobs from the rollup (their time already split by day); running jobs live, from their
  // start, clipped to the window and to now (a job not begun yet has printed nothing).
  const result = await db.execute(sql`
    select x.printer_id, sum(x.total)::int as total, sum(x.completed)::int as completed,
      sum(x.failed)::int as failed, sum(x.busy_seconds)::float8 as busy_seconds
    from (
      select f.printer_id, f.ended as total, f.completed, f.failed, f.busy_seconds
      from (${printerWindow(organizationId, w)}) f
      union all
      select j.printer_id, 0, 0, 0, greatest(0, extract(epoch from (
          least(${end}, ${now}) - greatest(j.time_started, ${start}))))::float8
      from ${jobs} j
      where j.organization_id = ${organizationId}::uuid and j.status in (${OPEN_STATUS_LIST})
        and j.time_completed is null and j.printer_id is not null and j.time_started is not null
    ) x
    group by x.printer_id`);
  const windowSeconds = Number(rowsOf<{ s: number }>(await length)[0]?.s ?? 0);
  const printers = rowsOf<{
    printer_id: string;
    total: number;
    completed: number;
    failed: number;
    busy_seconds: number;
  }>(result).map((r) => ({
    printerId: r.printer_id,
    total: Number(r.total),
    completed: Number(r.completed),
    failed: Number(r.failed),
    busySeconds: Number(r.busy_seconds),
  }));
  return { printers, windowSeconds };
}

export interface FailureFigures {
  byReason: { reason: string | null; count: number }[];
  byPrinter: { printerId: string | null; name: string | null; count: number }[];
  byFile: { fileName: string | null; count: number }[];
  byDay: { date: string; count: number }[];
  recent: {
    jobId: string;
    printerId: string | null;
    printerName: string | null;
    fileName: string | null;
    failureReason: string | null;
    failedAt: Date;
  }[];
}

/** Failed jobs that ended in the window, grouped four ways, and the 20 most recent. */
export async function failureFigures(
  db: Queryable,
  organizationId: string,
  w: AnalyticsWindow,
): Promise<FailureFigures> {
  // Failed jobs of the window, through jobs_org_failed_idx (failed jobs only).
  const failed = sql`j.organization_id = ${organizationId}::uuid and j.status = 'failed'
    and j.time_completed >= ${windowStart(w)} and j.time_completed < ${windowEnd(w)}`;
  const totals = sql`${jobDayTotals} t
    where t.organization_id = ${organizationId}::uuid and ${inDays(sql`t.day`, w)}`;
  const [grouped, byDay, recent] = await Promise.all([
    // By reason, by file and by printer in one pass over the window's failed jobs.
    db.execute(sql`with g as (
        select case when grouping(j.failure_reason) = 0 then 'reason'
            when grouping(j.file_name) = 0 then 'file' else 'printer' end as kind,
          j.failure_reason as reason, j.file_name, j.printer_id, count(*)::int as count
        from ${jobs} j where ${failed}
        group by grouping sets ((j.failure_reason), (j.file_name), (j.printer_id))
      )
      select g.kind, g.reason, g.file_name, g.printer_id, p.name, g.count
      from g left join ${printers} p on g.kind = 'printer' and p.id = g.printer_id
      order by g.kind, g.count desc, g.file_name, p.name`),
    db.execute(sql`with f as (select t.day, sum(t.failed)::int as count from ${totals} group by 1)
      select to_char(days.day, 'YYYY-MM-DD') as date, coalesce(f.count, 0) as count
      from ${days(w)} days left join f on f.day = days.day order by days.day`),
    db.execute(sql`select j.id, j.printer_id, p.name, j.file_name, j.failure_reason,
        j.time_completed
      from ${jobs} j left join ${printers} p on p.id = j.printer_id
      where ${failed} order by j.time_completed desc, j.id limit 20`),
  ]);
  type Group = {
    kind: "reason" | "file" | "printer";
    reason: string | null;
    file_name: string | null;
    printer_id: string | null;
    name: string | null;
    count: number;
  };
  const groups = rowsOf<Group>(grouped);
  const of = (kind: Group["kind"]) => groups.filter((g) => g.kind === kind);
  return {
    byReason: of("reason").map((r) => ({ reason: r.reason, count: Number(r.count) })),
    byPrinter: of("printer").map((r) => ({
      printerId: r.printer_id,
      name: r.name,
      count: Number(r.count),
    })),
    byFile: of("file").map((r) => ({ fileName: r.file_name, count: Number(r.count) })),
    byDay: rowsOf<{ date: string; count: number }>(byDay).map((r) => ({
      date: r.date,
      count: Number(r.count),
    })),
    recent: rowsOf<{
      id: string;
      printer_id: string | null;
      name: string | null;
      file_name: string | null;
      failure_reason: string | null;
      time_completed: string | Date;
    }>(recent).map((r) => ({
      jobId: r.id,
      printerId: r.printer_id,
      printerName: r.name,
      fileName: r.file_name,
      failureReason: r.failure_reason,
      failedAt: new Date(r.time_completed),
    })),
  };
}

export interface MaterialUsage {
  byMaterial: { materialType: string; grams: number }[];
  byDay: { date: string; grams: number }[];
}

/**
 * Grams of filament used by completed jobs that ended in the window, from their print file's
 * slicer figure (jobs without one count nothing), by material and by day. The day totals keep
 * completed jobs by print file, so a file's figure is read as it is now (a deleted file's jobs
 * lose their file, and count nothing, as before).
 */
export async function materialUsage(
  db: Queryable,
  organizationId: string,
  w: AnalyticsWindow,
): Promise<MaterialUsage> {
  const used = sql`from ${jobDayTotals} t join ${printFiles} f on f.id = t.print_file_id
    where t.organization_id = ${organizationId}::uuid and t.completed > 0
      and f.filament_weight_grams is not null and ${inDays(sql`t.day`, w)}`;
  const [byMaterial, byDay] = await Promise.all([
    db.execute(sql`select coalesce(f.filament_type, t.job_material, 'unknown') as material,
        sum(t.completed * f.filament_weight_grams)::float8 as grams
      ${used} group by 1 order by 2 desc, 1`),
    db.execute(sql`with u as (select t.day, sum(t.completed * f.filament_weight_grams)::float8 as grams
        ${used} group by 1)
      select to_char(days.day, 'YYYY-MM-DD') as date, coalesce(u.grams, 0)::float8 as grams
      from ${days(w)} days left join u on u.day = days.day order by days.day`),
  ]);
  return {
    byMaterial: rowsOf<{ material: string; grams: number }>(byMaterial).map((r) => ({
      materialType: r.material,
      grams: Number(r.grams),
    })),
    byDay: rowsOf<{ date: string; grams: number }>(byDay).map((r) => ({
      date: r.date,
      grams: Number(r.grams),
    })),
  };
}

/** Distinct spool material types of the organization. */
export async function spoolMaterialTypes(db: Queryable, organizationId: string): Promise<number> {
  const result = await db.execute(sql`select count(distinct s.type)::int as n
    from ${filamentSpools} s where s.organization_id = ${organizationId}::uuid`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

export interface LiveCounts {
  jobs: { queued: number; processing: number; printing: number };
  today: { completed: number; failed: number };
  tasks: { pending: number; collection: number };
}

/**
 * What the farm is doing now: jobs by state, today's ended jobs (`today` in the time zone),
 * pending tasks.
 */
export async function liveCounts(
  db: Queryable,
  organizationId: string,
  today: AnalyticsWindow,
): Promise<LiveCounts> {
  const result = await db.execute(sql`select
      (select count(*) from ${jobs} j where j.organization_id = ${organizationId}::uuid and j.status = 'queued')::int as queued,
      (select count(*) from ${jobs} j where j.organization_id = ${organizationId}::uuid and j.status in ('processing', 'uploaded'))::int as processing,
      (select count(*) from ${jobs} j where j.organization_id = ${organizationId}::uuid and j.status in ('printing', 'paused'))::int as printing,
      (select count(*) from ${jobs} j where j.organization_id = ${organizationId}::uuid and j.status = 'completed'
        and j.time_completed >= ${windowStart(today)} and j.time_completed < ${windowEnd(today)})::int as today_completed,
      (select count(*) from ${jobs} j where j.organization_id = ${organizationId}::uuid and j.status = 'failed'
        and j.time_completed >= ${windowStart(today)} and j.time_completed < ${windowEnd(today)})::int as today_failed,
      (select count(*) from ${tasks} t where t.organization_id = ${organizationId}::uuid and t.status = 'pending')::int as tasks_pending,
      (select count(*) from ${tasks} t where t.organization_id = ${organizationId}::uuid and t.status = 'pending' and t.task_type = 'collection')::int as tasks_collection`);
  const r = rowsOf<Record<string, number>>(result)[0] ?? {};
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    jobs: { queued: n("queued"), processing: n("processing"), printing: n("printing") },
    today: { completed: n("today_completed"), failed: n("today_failed") },
    tasks: { pending: n("tasks_pending"), collection: n("tasks_collection") },
  };
}
