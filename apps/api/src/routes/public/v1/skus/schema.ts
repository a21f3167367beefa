import type { PublicSkuDetail, PublicSkuRow } from "@apf/db/queries/public-products";
import { STOCK_LEVELS, STOCK_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";
import { KitPartSchema, toKitPart } from "../inventory/schema.ts";

/**
 * A SKU in AutoPrintFarm's fields, plus a few of ours. Prices and costs are deliberately not
 * part of it: AutoPrintFarm's SKU shape has none, and /public/v1 never shows them.
 */
export const SkuSchema = z
  .object({
    id: z.string().openapi({ description: "The SKU's id (`product_sku_id` elsewhere)." }),
    product_id: z.string().openapi({ description: "The product it is a variant of." }),
    sku: z.string().openapi({ description: "The SKU code." }),
    color: z.string().nullable(),
    filament_type: z.string().nullable().openapi({ description: "The SKU's material." }),
    hex_code: z.string().nullable().openapi({
      description: "Always null: apf records a SKU's colour by name only.",
    }),
    quantity: z.int().min(1).openapi({
      description: "Units one print of the SKU's file makes (apf's `units_per_print`).",
    }),
    stock_level: z.int().min(0).openapi({ description: "Units ready (`ready_stock`)." }),
    low_stock_threshold: z.int().nullable(),
    is_active: z.boolean(),
    is_composite: z.boolean().openapi({ description: "The SKU is a kit assembled from parts." }),
    created_at: timestamp(),
    updated_at: timestamp(),
    finished_goods_stock: z.int().min(0).openapi({
      description:
        "Units ready: the same figure as `stock_level` (apf keeps one stock figure per SKU).",
    }),
    product_name: z.string(),
    status: z.enum(STOCK_STATUSES).openapi({
      description:
        "The stock status, read as `GET /inventory` reads it: `needs_assembly` (a kit with none ready whose parts on hand make at least one), `out_of_stock` at 0, `low_stock` at or below a set threshold, else `in_stock`.",
    }),
    inventory_id: z.string().openapi({
      description: "The SKU's finished-goods item, `GET /inventory/{id}`.",
    }),
    image_url: z.string().nullable(),
  })
  .openapi("Sku");

/** One SKU with its kit figures. */
export const SkuDetailSchema = SkuSchema.extend({
  available_to_build: z.int().min(0).openapi({
    description: "How many kits the parts on hand make; 0 for a SKU that is not a kit.",
  }),
  effective_status: z.enum(STOCK_LEVELS).openapi({
    description:
      "The status the SKU would have with every kit the parts make assembled; `status` for a SKU that is not a kit.",
  }),
  parts_on_hand: z.array(KitPartSchema).openapi({
    description: "A kit's parts and the stock of each; empty for a SKU that is not a kit.",
  }),
}).openapi("SkuDetail");

function fields(row: PublicSkuRow) {
  return {
    id: row.id,
    product_id: row.productId,
    sku: row.sku,
    color: row.color,
    filament_type: row.material,
    hex_code: null,
    quantity: row.unitsPerPrint,
    stock_level: row.readyStock,
    low_stock_threshold: row.lowStockThreshold,
    is_active: row.isActive,
    is_composite: row.isComposite,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    finished_goods_stock: row.readyStock,
    product_name: row.productName,
    status: row.status,
    inventory_id: row.inventoryId,
    image_url: row.imageUrl,
  };
}

/** A SKU row → the list item (through the schema, so nothing else can leak). */
export function toSku(row: PublicSkuRow) {
  return SkuSchema.parse(fields(row));
}

/** A SKU row with its kit fields → the detail. */
export function toSkuDetail(row: PublicSkuDetail) {
  return SkuDetailSchema.parse({
    ...fields(row),
    available_to_build: row.availableToBuild,
    effective_status: row.effectiveStatus,
    parts_on_hand: row.parts.map(toKitPart),
  });
}
