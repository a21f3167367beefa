import { PRINTER_VIEW_STATUSES, SPOOL_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import type { Report } from "../../../../modules/analytics/reports.ts";
import { MAX_WINDOW_DAYS } from "../../../../modules/analytics/window.ts";
import { timestamp } from "../../../../openapi/kit.ts";
import { invalidField } from "../../../../openapi/validation.ts";

/**
 * The analytics reports' schemas and window parameters, shared by /public/v1/analytics and
 * /api/orgs/{orgId}/analytics (one report, two surfaces).
 */

const DATE_MESSAGE = "must be a date written YYYY-MM-DD";

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 does not). */
const isoDay = (description: string) =>
  z
    .string({ error: (i) => (Array.isArray(i.input) ? "must be given once" : DATE_MESSAGE) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE)
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
    }, DATE_MESSAGE)
    .optional()
    .openapi({ format: "date", example: "2026-11-23", description });

/** `from` and `to`: days of the organization's time zone, both included. */
export const windowQuery = {
  from: isoDay(
    `First day of the window, included, in the organization's time zone (default: \`to\` − 29 days). At most ${MAX_WINDOW_DAYS} days from \`from\` to \`to\`.`,
  ),
  to: isoDay("Last day of the window, included (default: today in the organization's time zone)."),
};

/** The report, or the window's complaint as 400 INVALID_REQUEST naming the parameter. */
export function reportOr400<T>(outcome: Report<T>): T {
  if (outcome.ok) return outcome.report;
  throw invalidField("query", [outcome.parameter], outcome.message);
}

const day = z.string().openapi({ format: "date", example: "2026-11-23" });
const percent = (description: string) => z.number().min(0).max(100).openapi({ description });

export const DateRangeSchema = z
  .object({
    from: day,
    to: day,
    time_zone: z.string().openapi({ description: "The organization's IANA time zone." }),
  })
  .openapi("AnalyticsDateRange");

export const ProductionReportSchema = z
  .object({
    date_range: DateRangeSchema,
    summary: z.object({
      jobs_completed: z.int(),
      jobs_failed: z.int(),
      completion_rate: percent("Completed over completed + failed, percent (0 when neither)."),
      units_produced: z.int().openapi({ description: "Units of the completed jobs." }),
      total_print_time_hours: z.number().openapi({
        description: "Start to end of the completed jobs, hours (two decimals).",
      }),
    }),
    daily: z.array(
      z.object({
        date: day,
        jobs_completed: z.int(),
        jobs_failed: z.int(),
        units_produced: z.int(),
        total_print_time_minutes: z.number(),
      }),
    ),
  })
  .openapi("ProductionReport");

export const PrintersReportSchema = z
  .object({
    date_range: DateRangeSchema,
    summary: z.object({
      total_printers: z.int(),
      average_utilization: percent("Mean of the printers' utilization_percent."),
      average_success_rate: percent(
        "Mean of the success rates of printers that completed or failed a job in the window.",
      ),
      total_jobs: z.int(),
      total_print_hours: z.number(),
    }),
    printers: z.array(
      z.object({
        printer_id: z.string(),
        name: z.string(),
        status: z.enum(PRINTER_VIEW_STATUSES).openapi({
          description: "The printer's status now, as GET /printers/{id} reads it.",
        }),
        in_maintenance: z.boolean(),
        total_jobs: z.int().openapi({
          description: "Jobs that ended in the window: completed, failed or cancelled.",
        }),
        completed: z.int(),
        failed: z.int(),
        success_rate: percent("Completed over completed + failed (0 when neither)."),
        failure_count: z.int(),
        total_print_hours: z.number().openapi({
          description: "Printing time inside the window (jobs' start to end, clipped).",
        }),
        utilization_percent: percent(
          "Printing time over the window's length (its end clipped to now).",
        ),
      }),
    ),
  })
  .openapi("PrintersReport");

export const FailuresReportSchema = z
  .object({
    date_range: DateRangeSchema,
    summary: z.object({ total_failures: z.int() }),
    by_type: z.array(
      z.object({
        reason: z.string().openapi({
          description:
            "The failure reason normalised: lower case, ids as <id>, numbers as #; `unknown` when none.",
        }),
        count: z.int(),
        percentage: percent("Share of the window's failures."),
      }),
    ),
    by_printer: z.array(
      z.object({
        printer_id: z.string().nullable(),
        printer_name: z.string().nullable(),
        count: z.int(),
      }),
    ),
    by_file: z.array(z.object({ file_name: z.string().nullable(), count: z.int() })),
    daily_trend: z.array(z.object({ date: day, count: z.int() })),
    recent: z.array(
      z.object({
        job_id: z.string(),
        printer_id: z.string().nullable(),
        printer_name: z.string().nullable(),
        file_name: z.string().nullable(),
        reason: z.string(),
        failure_reason: z.string().nullable().openapi({ description: "As reported." }),
        failed_at: timestamp(),
      }),
    ),
  })
  .openapi("FailuresReport");

export const InventoryReportSchema = z
  .object({
    date_range: DateRangeSchema,
    summary: z.object({
      low_stock_skus: z.int(),
      low_filament_spools: z.int(),
      total_material_types: z.int(),
    }),
    low_stock_items: z.array(
      z.object({
        id: z.string().openapi({ description: "The inventory item id." }),
        sku: z.string(),
        color: z.string().nullable(),
        stock_level: z.int(),
        low_stock_threshold: z.int().nullable(),
        product_name: z.string(),
      }),
    ),
    filament_inventory: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        color: z.string().nullable(),
        status: z.enum(SPOOL_STATUSES),
        remaining_grams: z.number(),
        low_threshold: z.number().nullable(),
      }),
    ),
    material_usage: z.array(
      z.object({
        material_type: z.string(),
        total_usage: z.number().openapi({ description: "Grams." }),
      }),
    ),
    usage_trend: z.array(
      z.object({ date: day, usage: z.number().openapi({ description: "Grams." }) }),
    ),
  })
  .openapi("InventoryReport");

export const OverviewReportSchema = z
  .object({
    printers: z.object({
      total: z.int(),
      idle: z.int(),
      printing: z.int().openapi({ description: "Printing or cancelling." }),
      paused: z.int().openapi({ description: "Paused or pausing." }),
      maintenance: z.int(),
      offline: z.int(),
      error: z.int(),
    }),
    jobs: z.object({
      queued: z.int(),
      processing: z.int().openapi({ description: "Processing or uploaded." }),
      printing: z.int().openapi({ description: "Printing or paused." }),
      today_completed: z.int(),
      today_failed: z.int(),
    }),
    tasks: z.object({ pending: z.int(), collection: z.int() }),
    hubs: z.object({ total: z.int(), online: z.int() }),
    alerts: z.object({ low_stock: z.int() }),
  })
  .openapi("OverviewReport");
