import type { SkuView } from "@apf/db/queries/skus";
import { STOCK_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { clearableText, decimal, httpUrl, iso, text, timestamp } from "../../../openapi/kit.ts";

/** A SKU as the dashboard shows it (the unit price included, unlike /public/v1). */
export const skuSchema = z.object({
  id: z.uuid(),
  product_id: z.uuid(),
  sku: z.string(),
  product_name: z.string(),
  color: z.string().nullable(),
  material: z.string().nullable(),
  print_file_name: z.string().nullable(),
  units_per_print: z.number().int(),
  ready_stock: z.number().int(),
  low_stock_threshold: z.number().int().nullable(),
  status: z.enum(STOCK_STATUSES).openapi({
    description:
      "`needs_assembly`: a kit with none ready whose parts on hand make at least one; else `out_of_stock` at 0; `low_stock` at or below a set threshold; else `in_stock`.",
  }),
  image_url: z.string().nullable(),
  unit_price: z.string().nullable().openapi({ example: "12.50" }),
  is_active: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export function toSku(s: SkuView) {
  return {
    id: s.id,
    product_id: s.productId,
    sku: s.sku,
    product_name: s.productName,
    color: s.color,
    material: s.material,
    print_file_name: s.printFileName,
    units_per_print: s.unitsPerPrint,
    ready_stock: s.readyStock,
    low_stock_threshold: s.lowStockThreshold,
    status: s.status,
    image_url: s.imageUrl,
    unit_price: s.unitPrice,
    is_active: s.isActive,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}

const count = (max: number) =>
  z
    .number()
    .int(`must be a whole number from 0 to ${max}`)
    .min(0, `must be a whole number from 0 to ${max}`)
    .max(max, `must be a whole number from 0 to ${max}`);

/** Fields of a SKU an owner sets; every one optional (create requires sku and product_name). */
export const skuFields = {
  sku: text(100),
  product_name: text(200),
  product_id: z.uuid().optional(),
  color: clearableText(50),
  material: clearableText(50),
  print_file_name: clearableText(255),
  units_per_print: count(10_000).min(1, "must be a whole number from 1 to 10000").optional(),
  low_stock_threshold: count(1_000_000).nullable().optional(),
  image_url: httpUrl.nullable().optional(),
  unit_price: decimal({ maxIntegerDigits: 10, scale: 2 }).nullable().optional(),
  is_active: z.boolean().optional(),
};

type SkuBody = {
  sku?: string;
  product_name?: string;
  product_id?: string;
  color?: string | null;
  material?: string | null;
  print_file_name?: string | null;
  units_per_print?: number;
  low_stock_threshold?: number | null;
  image_url?: string | null;
  unit_price?: string | null;
  is_active?: boolean;
};

/** Body fields to query fields (undefined stays undefined: not changed). */
export function toSkuColumns(b: SkuBody) {
  return {
    sku: b.sku,
    productName: b.product_name,
    productId: b.product_id,
    color: b.color,
    material: b.material,
    printFileName: b.print_file_name,
    unitsPerPrint: b.units_per_print,
    lowStockThreshold: b.low_stock_threshold,
    imageUrl: b.image_url,
    unitPrice: b.unit_price,
    isActive: b.is_active,
  };
}
