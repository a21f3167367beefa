import { type PublicInventoryRow, STOCK_STATUSES } from "@apf/db/queries/public-inventory";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** Finished goods of one SKU. Prices and costs are deliberately not part of it. */
export const InventoryItemSchema = z
  .object({
    id: z.string(),
    product_sku_id: z.string(),
    sku: z.string(),
    color: z.string().nullable(),
    material: z.string().nullable(),
    ready_stock: z.int(),
    low_stock_threshold: z.int().nullable(),
    status: z.enum(STOCK_STATUSES).openapi({
      description:
        "`out_of_stock` at 0; `low_stock` at or below a set threshold; else `in_stock`. An item without a threshold is never low.",
    }),
    image_url: z.string().nullable(),
    is_active: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("InventoryItem");

/** One SKU's stock with its product. */
export const InventoryItemDetailSchema = InventoryItemSchema.extend({
  product_id: z.string(),
  product_name: z.string(),
}).openapi("InventoryItemDetail");

function fields(row: PublicInventoryRow) {
  return {
    id: row.id,
    product_sku_id: row.id,
    sku: row.sku,
    color: row.color,
    material: row.material,
    ready_stock: row.readyStock,
    low_stock_threshold: row.lowStockThreshold,
    status: row.status,
    image_url: row.imageUrl,
    is_active: row.isActive,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

/** A SKU row → the list item (through the schema, so nothing else can leak). */
export function toInventoryItem(row: PublicInventoryRow) {
  return InventoryItemSchema.parse(fields(row));
}

/** A SKU row → the detailed item of GET /inventory/{id}. */
export function toInventoryItemDetail(row: PublicInventoryRow) {
  return InventoryItemDetailSchema.parse({
    ...fields(row),
    product_id: row.productId,
    product_name: row.productName,
  });
}
