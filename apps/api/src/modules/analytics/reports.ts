import {
  type AnalyticsWindow,
  failureFigures,
  liveCounts,
  materialUsage,
  printerJobFigures,
  productionByDay,
  spoolMaterialTypes,
} from "@apf/db/queries/analytics";
import { findOrganization } from "@apf/db/queries/organizations";
import { listPublicFilamentSpools } from "@apf/db/queries/public-filament";
import { listPublicInventoryAlerts } from "@apf/db/queries/public-inventory";
import { normalizeFailureReason } from "@apf/domain";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { readHubViews } from "../hubs/hubs.ts";
import { printerFreshness, readPrinterStatusViews } from "../printers/printer-view.ts";
import { REGROUP_RETRY_AFTER_S } from "./regroup.ts";
import { dayInZone, resolveWindow, type WindowOutcome } from "./window.ts";

/**
 * The analytics reports, for /public/v1/analytics and /api/orgs/{orgId}/analytics alike: each
 * resolves the window in the organization's time zone, reads packages/db's aggregates and
 * returns the report (AutoPrintFarm's field names), or the window's complaint. No HTTP here.
 */
type Deps = Pick<Services, "db" | "clock" | "config">;

export interface WindowQuery {
  from?: string;
  to?: string;
}

export type Report<T> = { ok: true; report: T } | Extract<WindowOutcome, { ok: false }>;

const round2 = (n: number) => Math.round(n * 100) / 100;
const percentOf = (part: number, whole: number) => (whole > 0 ? round2((part / whole) * 100) : 0);
const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);

async function timeZoneOf(deps: Deps, organizationId: string): Promise<string> {
  return (await findOrganization(deps.db, organizationId))?.timeZone ?? "UTC";
}

/**
 * The organization's time zone, for a report read from the daily rollups. While the rollups are
 * being regrouped into a new time zone (regroup.ts) they hold the old zone's days: such a report
 * answers 503 ANALYTICS_REGROUPING with Retry-After rather than figures in the wrong days. Not
 * figures counted from the jobs instead: the organizations whose regrouping takes long are those
 * with a long history, where that count is the very scan the rollups exist to avoid (past the
 * request's statement timeout, and hard on the database while the regrouping runs).
 */
async function rollupTimeZoneOf(deps: Deps, organizationId: string): Promise<string> {
  const org = await findOrganization(deps.db, organizationId);
  if (org?.jobStatsStale) {
    throw new DomainError(
      "ANALYTICS_REGROUPING",
      `The organization's daily figures are being regrouped into its new time zone (${org.timeZone}); try again in a few seconds.`,
      { retryAfterS: REGROUP_RETRY_AFTER_S },
    );
  }
  return org?.timeZone ?? "UTC";
}

async function withWindow<T>(
  deps: Deps,
  organizationId: string,
  asked: WindowQuery,
  build: (w: AnalyticsWindow) => Promise<T>,
): Promise<Report<T>> {
  const outcome = resolveWindow(
    asked,
    await rollupTimeZoneOf(deps, organizationId),
    deps.clock.now(),
  );
  if (!outcome.ok) return outcome;
  return { ok: true, report: await build(outcome.window) };
}

const dateRange = (w: AnalyticsWindow) => ({ from: w.from, to: w.to, time_zone: w.timeZone });

/** Jobs completed and failed, units and print time, by the day they ended. */
export function productionReport(
  deps: Deps,
  organizationId: string,
  asked: WindowQuery & { printerId?: string; productId?: string },
) {
  return withWindow(deps, organizationId, asked, async (w) => {
    const days = await productionByDay(deps.db, organizationId, w, {
      printerId: asked.printerId,
      productId: asked.productId,
    });
    const sum = (pick: (d: (typeof days)[number]) => number) =>
      days.reduce((a, d) => a + pick(d), 0);
    const completed = sum((d) => d.completed);
    const failed = sum((d) => d.failed);
    return {
      date_range: dateRange(w),
      summary: {
        jobs_completed: completed,
        jobs_failed: failed,
        completion_rate: percentOf(completed, completed + failed),
        units_produced: sum((d) => d.units),
        total_print_time_hours: round2(sum((d) => d.printSeconds) / 3600),
      },
      daily: days.map((d) => ({
        date: d.date,
        jobs_completed: d.completed,
        jobs_failed: d.failed,
        units_produced: d.units,
        total_print_time_minutes: round2(d.printSeconds / 60),
      })),
    };
  });
}

/** Every printer with its jobs, success rate and utilization over the window. */
export function printersReport(deps: Deps, organizationId: string, asked: WindowQuery) {
  return withWindow(deps, organizationId, asked, async (w) => {
    const [views, { printers: figures, windowSeconds: windowS }] = await Promise.all([
      readPrinterStatusViews(deps.db, organizationId, printerFreshness(deps)),
      printerJobFigures(deps.db, organizationId, w),
    ]);
    const byPrinter = new Map(figures.map((f) => [f.printerId, f]));
    const printers = views.map((v) => {
      const f = byPrinter.get(v.id) ?? { total: 0, completed: 0, failed: 0, busySeconds: 0 };
      return {
        printer_id: v.id,
        name: v.name,
        // The one printer view's status: never a second reading.
        status: v.status,
        in_maintenance: v.inMaintenance,
        total_jobs: f.total,
        completed: f.completed,
        failed: f.failed,
        success_rate: percentOf(f.completed, f.completed + f.failed),
        failure_count: f.failed,
        total_print_hours: round2(f.busySeconds / 3600),
        utilization_percent: windowS > 0 ? percentOf(Math.min(f.busySeconds, windowS), windowS) : 0,
      };
    });
    const rated = printers.filter((p) => p.completed + p.failed > 0);
    return {
      date_range: dateRange(w),
      summary: {
        total_printers: printers.length,
        average_utilization: mean(printers.map((p) => p.utilization_percent)),
        average_success_rate: mean(rated.map((p) => p.success_rate)),
        total_jobs: printers.reduce((a, p) => a + p.total_jobs, 0),
        total_print_hours: round2(printers.reduce((a, p) => a + p.total_print_hours, 0)),
      },
      printers,
    };
  });
}

/** Failed jobs of the window by normalised reason, printer, file and day; the 20 latest. */
export function failuresReport(deps: Deps, organizationId: string, asked: WindowQuery) {
  return withWindow(deps, organizationId, asked, async (w) => {
    const f = await failureFigures(deps.db, organizationId, w);
    const byType = new Map<string, number>();
    for (const r of f.byReason) {
      const reason = normalizeFailureReason(r.reason);
      byType.set(reason, (byType.get(reason) ?? 0) + r.count);
    }
    const total = f.byDay.reduce((a, d) => a + d.count, 0);
    return {
      date_range: dateRange(w),
      summary: { total_failures: total },
      by_type: [...byType]
        .map(([reason, count]) => ({ reason, count, percentage: percentOf(count, total) }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      by_printer: f.byPrinter.map((p) => ({
        printer_id: p.printerId,
        printer_name: p.name,
        count: p.count,
      })),
      by_file: f.byFile.map((x) => ({ file_name: x.fileName, count: x.count })),
      daily_trend: f.byDay.map((d) => ({ date: d.date, count: d.count })),
      recent: f.recent.map((r) => ({
        job_id: r.jobId,
        printer_id: r.printerId,
        printer_name: r.printerName,
        file_name: r.fileName,
        reason: normalizeFailureReason(r.failureReason),
        failure_reason: r.failureReason,
        failed_at: r.failedAt.toISOString(),
      })),
    };
  });
}

/** Low stock, spools, and filament used by completed jobs of the window. */
export function inventoryReport(deps: Deps, organizationId: string, asked: WindowQuery) {
  return withWindow(deps, organizationId, asked, async (w) => {
    const [alerts, spools, low, types, usage] = await Promise.all([
      listPublicInventoryAlerts(deps.db, organizationId),
      listPublicFilamentSpools(deps.db, organizationId, {}),
      listPublicFilamentSpools(deps.db, organizationId, { lowStock: true }),
      spoolMaterialTypes(deps.db, organizationId),
      materialUsage(deps.db, organizationId, w),
    ]);
    return {
      date_range: dateRange(w),
      summary: {
        low_stock_skus: alerts.length,
        low_filament_spools: low.rows.length,
        total_material_types: types,
      },
      low_stock_items: alerts.map((a) => ({
        id: a.id,
        sku: a.sku,
        color: a.color,
        stock_level: a.readyStock,
        low_stock_threshold: a.lowStockThreshold,
        product_name: a.productName,
      })),
      filament_inventory: spools.rows.map((s) => ({
        id: s.id,
        type: s.type,
        color: s.color,
        status: s.status,
        remaining_grams: s.remainingGrams,
        low_threshold: s.lowThreshold,
      })),
      material_usage: usage.byMaterial.map((m) => ({
        material_type: m.materialType,
        total_usage: round2(m.grams),
      })),
      usage_trend: usage.byDay.map((d) => ({ date: d.date, usage: round2(d.grams) })),
    };
  });
}

/** What the farm is doing now (from the jobs, not the rollups: it answers while they regroup). */
export async function overviewReport(deps: Deps, organizationId: string) {
  const timeZone = await timeZoneOf(deps, organizationId);
  const now = deps.clock.now();
  const today = dayInZone(now, timeZone);
  const freshness = printerFreshness(deps);
  const [views, hubs, live, alerts] = await Promise.all([
    readPrinterStatusViews(deps.db, organizationId, freshness),
    readHubViews(deps, organizationId),
    liveCounts(deps.db, organizationId, { from: today, to: today, timeZone, now }),
    listPublicInventoryAlerts(deps.db, organizationId),
  ]);
  const count = (...statuses: string[]) => views.filter((v) => statuses.includes(v.status)).length;
  return {
    printers: {
      total: views.length,
      idle: count("idle"),
      printing: count("printing", "cancelling"),
      paused: count("paused", "pausing"),
      maintenance: count("maintenance"),
      offline: count("offline"),
      error: count("error"),
    },
    jobs: {
      queued: live.jobs.queued,
      processing: live.jobs.processing,
      printing: live.jobs.printing,
      today_completed: live.today.completed,
      today_failed: live.today.failed,
    },
    tasks: live.tasks,
    // The hubs' one reading (services/hubs.ts), as GET /hubs shows them.
    hubs: { total: hubs.length, online: hubs.filter((h) => h.online).length },
    alerts: { low_stock: alerts.length },
  };
}
