import type { PublicJobRow } from "@apf/db/queries/public-jobs";
import { JOB_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** A print job as integrators see it (AutoPrintFarm's fields). */
export const JobSchema = z
  .object({
    id: z.string(),
    status: z.enum(JOB_STATUSES),
    printer_id: z.string().nullable(),
    product_id: z.string().nullable().openapi({ description: "The product of the job's SKU." }),
    product_sku_id: z.string().nullable(),
    product_name: z.string().nullable(),
    file_name: z.string().nullable(),
    number_of_units: z.int(),
    color: z.string().nullable(),
    filament_type: z.string().nullable(),
    material_type: z.string().nullable(),
    progress_percentage: z.number().min(0).max(100).nullable(),
    estimated_print_time_minutes: z.int().nullable(),
    actual_print_time_minutes: z.int().nullable(),
    failure_reason: z.string().nullable(),
    time_submitted: timestamp(),
    time_started: timestamp().nullable(),
    time_completed: timestamp().nullable(),
    print_file_id: z.string().nullable().openapi({
      description: "The print file a queued job prints; null for jobs started on the printer.",
    }),
    priority: z.int().min(0).max(255).openapi({ description: "0–255, higher first (default 50)." }),
    attempts: z.int().openapi({ description: "File transfers tried; failed after 3." }),
    last_error: z.string().nullable().openapi({ description: "Why the last transfer failed." }),
    waiting_reason: z.string().nullable().openapi({
      description:
        'Why no ready printer took this queued job yet (with auto_start on), e.g. "no printer with PETG loaded".',
    }),
    position: z.int().min(1).nullable().openapi({
      description:
        "1-based place among the organization's queued jobs (queue order); null unless queued.",
    }),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("Job");

/** A stored job row → the public item (through the schema, so nothing else can leak). */
/** A job as the public API shows it. */
export type PublicJob = ReturnType<typeof toPublicJob>;

export function toPublicJob(row: PublicJobRow) {
  return JobSchema.parse({
    id: row.id,
    status: row.status,
    printer_id: row.printerId,
    product_id: row.productId,
    product_sku_id: row.productSkuId,
    product_name: row.productName,
    file_name: row.fileName,
    number_of_units: row.numberOfUnits,
    color: row.color,
    filament_type: row.filamentType,
    material_type: row.materialType,
    progress_percentage: row.progressPercentage,
    estimated_print_time_minutes: row.estimatedPrintTimeMinutes,
    actual_print_time_minutes: row.actualPrintTimeMinutes,
    failure_reason: row.failureReason,
    time_submitted: iso(row.timeSubmitted),
    time_started: iso(row.timeStarted),
    time_completed: iso(row.timeCompleted),
    print_file_id: row.printFileId,
    priority: row.priority,
    attempts: row.attempts,
    last_error: row.lastError,
    waiting_reason: row.waitingReason,
    position: row.position,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  });
}
