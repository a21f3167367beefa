import type { listKitParts } from "@apf/db/queries/kits";
import { z } from "@hono/zod-openapi";

/** A part of a kit as the dashboard shows it. */
export const kitPartSchema = z.object({
  part_sku_id: z.uuid(),
  sku: z.string(),
  product_name: z.string(),
  color: z.string().nullable(),
  quantity: z.number().int().openapi({ description: "How many of this part one kit takes." }),
  ready_stock: z.number().int(),
});

export function toKitPart(p: Awaited<ReturnType<typeof listKitParts>>[number]) {
  return {
    part_sku_id: p.partSkuId,
    sku: p.sku,
    product_name: p.productName,
    color: p.color,
    quantity: p.quantity,
    ready_stock: p.readyStock,
  };
}
