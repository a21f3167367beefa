import type {
  PublicInventoryDetail,
  PublicInventoryRow,
  PublicKitPart,
} from "@apf/db/queries/public-inventory";
import { STOCK_LEVELS, STOCK_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** Finished goods of one SKU. Prices and costs are deliberately not part of it. */
export const InventoryItemSchema = z
  .object({
    id: z.string().openapi({
      description: "The inventory item's own id (not the SKU's: that is `product_sku_id`).",
    }),
    product_sku_id: z.string(),
    sku: z.string(),
    color: z.string().nullable(),
    material: z.string().nullable(),
    ready_stock: z.int(),
    low_stock_threshold: z.int().nullable(),
    status: z.enum(STOCK_STATUSES).openapi({
      description:
        "`needs_assembly`: a kit with none ready whose parts on hand make at least one; else `out_of_stock` at 0; `low_stock` at or below a set threshold; else `in_stock`. An item without a threshold is never low.",
    }),
    image_url: z.string().nullable(),
    is_active: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("InventoryItem");

/** An item of GET /inventory/alerts: the item and its product's name. */
export const InventoryAlertSchema = InventoryItemSchema.extend({
  product_id: z.string(),
  product_name: z.string(),
}).openapi("InventoryAlert");

/** A part of a kit and the stock of it. Both AutoPrintFarm's names and ours are given. */
export const KitPartSchema = z
  .object({
    product_sku_id: z.string().openapi({ description: "The part's SKU id." }),
    sku: z.string().openapi({ description: "The part's SKU code." }),
    quantity_per_kit: z.int().min(1),
    ready_stock: z.int().openapi({ description: "Parts ready." }),
    part_sku_id: z.string().openapi({ description: "Same as `product_sku_id`." }),
    part_name: z.string().openapi({ description: "The part's product name." }),
    color: z.string().nullable(),
    on_hand: z.int().openapi({ description: "Same as `ready_stock`." }),
    enough_for_one_kit: z.boolean(),
  })
  .openapi("KitPart");

/** One SKU's stock with its product and, for a kit, its parts. */
export const InventoryItemDetailSchema = InventoryItemSchema.extend({
  product_id: z.string(),
  product_name: z.string(),
  is_composite: z.boolean().openapi({ description: "The SKU is a kit assembled from parts." }),
  available_to_build: z.int().min(0).openapi({
    description: "How many kits the parts on hand make; 0 for a SKU that is not a kit.",
  }),
  effective_status: z.enum(STOCK_LEVELS).openapi({
    description:
      "The status the item would have with every kit the parts make assembled (`ready_stock + available_to_build` against the threshold); `status` for a SKU that is not a kit.",
  }),
  parts_on_hand: z
    .array(KitPartSchema)
    .openapi({ description: "Empty for a SKU that is not a kit." }),
}).openapi("InventoryItemDetail");

function fields(row: PublicInventoryRow) {
  return {
    id: row.id,
    product_sku_id: row.productSkuId,
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

/** A SKU row → the item of GET /inventory/alerts. */
export function toInventoryAlert(row: PublicInventoryRow) {
  return InventoryAlertSchema.parse({
    ...fields(row),
    product_id: row.productId,
    product_name: row.productName,
  });
}

/** A SKU row with its kit fields → the detailed item. */
export function toInventoryItemDetail(row: PublicInventoryDetail) {
  return InventoryItemDetailSchema.parse({
    ...fields(row),
    product_id: row.productId,
    product_name: row.productName,
    is_composite: row.isComposite,
    available_to_build: row.availableToBuild,
    effective_status: row.effectiveStatus,
    parts_on_hand: row.parts.map(toKitPart),
  });
}

/** A kit's part with its stock → the part as inventory and SKU details show it. */
export function toKitPart(p: PublicKitPart) {
  return {
    product_sku_id: p.productSkuId,
    sku: p.sku,
    quantity_per_kit: p.quantityPerKit,
    ready_stock: p.readyStock,
    part_sku_id: p.productSkuId,
    part_name: p.productName,
    color: p.color,
    on_hand: p.readyStock,
    enough_for_one_kit: p.readyStock >= p.quantityPerKit,
  };
}
