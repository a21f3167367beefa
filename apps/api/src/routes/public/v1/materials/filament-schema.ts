import type { PublicFilamentRow } from "@apf/db/queries/public-filament";
import { SPOOL_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** A filament spool as integrators see it (AutoPrintFarm's fields, plus `printer_id`). */
export const FilamentSpoolSchema = z
  .object({
    id: z.string(),
    type: z.string().openapi({ example: "PLA" }),
    color: z.string().nullable(),
    hex_code: z.string().nullable(),
    brand: z.string().nullable(),
    diameter: z.string().openapi({ description: "Millimetres, as a string.", example: "1.75" }),
    remaining_grams: z.number(),
    spool_weight_grams: z.number().nullable(),
    low_threshold: z.number().nullable(),
    status: z.enum(SPOOL_STATUSES),
    location: z.string().nullable(),
    printer_id: z
      .string()
      .nullable()
      .openapi({ description: "The printer the spool is loaded on, or null." }),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("FilamentSpool");

/** A spool row → the public item (through the schema, so nothing else can leak). */
export function toFilamentSpool(row: PublicFilamentRow) {
  return FilamentSpoolSchema.parse({
    id: row.id,
    type: row.type,
    color: row.color,
    hex_code: row.hexCode,
    brand: row.brand,
    diameter: String(row.diameter),
    remaining_grams: row.remainingGrams,
    spool_weight_grams: row.spoolWeightGrams,
    low_threshold: row.lowThreshold,
    status: row.status,
    location: row.location,
    printer_id: row.printerId,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  });
}
