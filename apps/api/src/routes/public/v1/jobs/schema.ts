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
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("Job");

/** A stored job row → the public item (through the schema, so nothing else can leak). */
export function toPublicJob(row: PublicJobRow) {
  const progress = row.progressPercentage;
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
    progress_percentage: progress === null ? null : Math.min(100, Math.max(0, progress)),
    estimated_print_time_minutes: row.estimatedPrintTimeMinutes,
    actual_print_time_minutes: row.actualPrintTimeMinutes,
    failure_reason: row.failureReason,
    time_submitted: iso(row.timeSubmitted),
    time_started: iso(row.timeStarted),
    time_completed: iso(row.timeCompleted),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  });
}
