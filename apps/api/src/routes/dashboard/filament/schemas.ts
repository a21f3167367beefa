import type { filamentSpools, Queryable } from "@apf/db";
import { printerExists } from "@apf/db/queries/printers";
import { SPOOL_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { clearableText, decimal, hexColor, iso, text, timestamp } from "../../../openapi/kit.ts";
import { invalidField } from "../../../openapi/validation.ts";

/** A spool, with the fields of the public filament item. */
export const spoolSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  color: z.string().nullable(),
  hex_code: z.string().nullable(),
  brand: z.string().nullable(),
  diameter: z.string().openapi({ example: "1.75" }),
  remaining_grams: z.number(),
  spool_weight_grams: z.number().nullable(),
  low_threshold: z.number().nullable(),
  status: z.enum(SPOOL_STATUSES),
  location: z.string().nullable(),
  printer_id: z.uuid().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export function toSpool(s: typeof filamentSpools.$inferSelect) {
  return {
    id: s.id,
    type: s.type,
    color: s.color,
    hex_code: s.hexCode,
    brand: s.brand,
    diameter: s.diameter,
    remaining_grams: s.remainingGrams,
    spool_weight_grams: s.spoolWeightGrams,
    low_threshold: s.lowThreshold,
    status: s.status,
    location: s.location,
    printer_id: s.printerId,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}

const grams = z
  .number()
  .min(0, "must be a weight in grams from 0 to 100000")
  .max(100_000, "must be a weight in grams from 0 to 100000");

/** Fields of a spool an owner sets; create requires `type`. */
export const spoolFields = {
  type: text(50),
  color: clearableText(50),
  hex_code: hexColor.nullable().optional(),
  brand: clearableText(100),
  diameter: decimal({ maxIntegerDigits: 2, scale: 2, min: 0.01 }).optional(),
  remaining_grams: grams.optional(),
  spool_weight_grams: grams.nullable().optional(),
  low_threshold: grams.nullable().optional(),
  status: z.enum(SPOOL_STATUSES).optional(),
  location: clearableText(100),
  printer_id: z.uuid().nullable().optional(),
};

type SpoolBody = {
  type?: string;
  color?: string | null;
  hex_code?: string | null;
  brand?: string | null;
  diameter?: string;
  remaining_grams?: number;
  spool_weight_grams?: number | null;
  low_threshold?: number | null;
  status?: (typeof SPOOL_STATUSES)[number];
  location?: string | null;
  printer_id?: string | null;
};

/** Body fields to query fields (undefined stays undefined: not changed). */
export function toSpoolColumns(b: SpoolBody) {
  return {
    type: b.type,
    color: b.color,
    hexCode: b.hex_code,
    brand: b.brand,
    diameter: b.diameter,
    remainingGrams: b.remaining_grams,
    spoolWeightGrams: b.spool_weight_grams,
    lowThreshold: b.low_threshold,
    status: b.status,
    location: b.location,
    printerId: b.printer_id,
  };
}

/** 400 naming printer_id when it is not a printer of this organization. */
export async function assertOwnPrinter(
  db: Queryable,
  organizationId: string,
  printerId: string | null | undefined,
): Promise<void> {
  if (!printerId) return;
  if (!(await printerExists(db, organizationId, printerId))) {
    throw invalidField("json", ["printer_id"], "no such printer in this organization.");
  }
}
