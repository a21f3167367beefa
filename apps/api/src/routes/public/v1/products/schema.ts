import type {
  PublicProductDetail,
  PublicProductKitPart,
  PublicProductRow,
} from "@apf/db/queries/public-products";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";
import { SkuSchema, toSku } from "../skus/schema.ts";

/*
 * A product in AutoPrintFarm's fields. In apf a product is the SKUs that share a `product_id`
 * (its variants); it has no row of its own, so its fields are read from them. Fields
 * AutoPrintFarm has and apf records nothing for are there, empty: never a guess.
 */

const ProductImageSchema = z
  .object({
    id: z.string().openapi({ description: "The id of the SKU whose image it is." }),
    sort_order: z.int().min(0),
    url: z.string(),
  })
  .openapi("ProductImage");

export const ProductSchema = z
  .object({
    id: z.string().openapi({ description: "The product's id: the `product_id` of its SKUs." }),
    name: z.string().openapi({
      description:
        "The SKUs' `product_name`; should they differ, the name of the product's first SKU.",
    }),
    description: z.string().nullable().openapi({ description: "Always null: apf records none." }),
    category: z.string().nullable().openapi({ description: "Always null: apf records none." }),
    requires_assembly: z.boolean().openapi({
      description: "At least one of its SKUs is a kit assembled from parts.",
    }),
    requires_post_processing: z.boolean().openapi({
      description: "Always false: apf records no post-processing step.",
    }),
    image_url: z.string().nullable().openapi({ description: "The first of `images`, or null." }),
    images: z.array(ProductImageSchema).openapi({
      description: "The images of its SKUs, by SKU code.",
    }),
    is_active: z.boolean().openapi({ description: "At least one of its SKUs is active." }),
    created_at: timestamp().openapi({ description: "When its first SKU was created." }),
    updated_at: timestamp().openapi({ description: "When one of its SKUs last changed." }),
    sku_count: z.int().min(1).openapi({ description: "How many SKUs it has." }),
  })
  .openapi("Product");

const ComponentSchema = z
  .object({
    id: z.string(),
    component_name: z.string(),
    component_type: z.string().nullable(),
    quantity_required: z.int(),
    notes: z.string().nullable(),
  })
  .openapi("ProductComponent");

const KitVariantSchema = z
  .object({
    kit_sku_id: z.string().openapi({ description: "The kit SKU that takes this part." }),
    kit_color: z.string().nullable(),
    child_sku_id: z.string().openapi({ description: "The part's SKU this kit SKU takes." }),
    child_sku: z.string(),
    child_color: z.string().nullable(),
    child_on_hand: z.int().openapi({ description: "The part SKU's ready stock." }),
    quantity_per_kit: z.int().min(1).openapi({ description: "How many one kit of it takes." }),
  })
  .openapi("ProductKitVariant");

const ProductKitPartSchema = z
  .object({
    part_id: z.string().openapi({ description: "The part's product id." }),
    name: z.string().openapi({ description: "The part's product name." }),
    print_file_id: z.string().nullable().openapi({
      description: "Always null: apf ties a SKU to its print file by the file's name, `file_name`.",
    }),
    file_name: z.string().nullable().openapi({
      description: "The print file whose completed prints add to the part's stock, if named.",
    }),
    quantity_per_kit: z.int().min(1).nullable().openapi({
      description:
        "How many one kit takes, when every variant takes the same; else null (each variant says).",
    }),
    fixed_color: z.string().nullable().openapi({
      description: "The part's colour when every variant takes the same colour, else null.",
    }),
    requires_assembly: z.boolean().openapi({
      description: "Always false: a part is printed; apf's kits are one level deep.",
    }),
    components: z.array(ComponentSchema).openapi({ description: "Always empty." }),
    variants: z.array(KitVariantSchema).openapi({
      description: "For each kit SKU of the product, the part SKU it takes.",
    }),
  })
  .openapi("ProductKitPart");

const BundleExtraSchema = z
  .object({
    id: z.string(),
    sku_id: z.string(),
    inventory_item_id: z.string(),
    quantity_required: z.int(),
    created_at: timestamp(),
    item_name: z.string(),
    remaining: z.int(),
  })
  .openapi("ProductBundleExtra");

export const ProductDetailSchema = ProductSchema.extend({
  skus: z.array(SkuSchema).openapi({ description: "Its SKUs, by SKU code." }),
  components: z.array(ComponentSchema).openapi({
    description: "Always empty: apf records no assembly hardware.",
  }),
  kit: z
    .object({
      parts: z.array(ProductKitPartSchema).openapi({
        description:
          "The parts its kit SKUs take, by part product; empty for a product without kits.",
      }),
      bundle_extras: z.array(BundleExtraSchema).openapi({
        description: "Always empty: apf keeps no packaging or accessory stock.",
      }),
      bundle_extras_by_variant: z
        .record(z.string(), z.array(BundleExtraSchema))
        .openapi({ description: "Always empty." }),
    })
    .openapi({ description: "The product's kit: what assembling one of its kit SKUs takes." }),
}).openapi("ProductDetail");

function fields(row: PublicProductRow) {
  const images = row.images.map((image, i) => ({ id: image.skuId, sort_order: i, url: image.url }));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    category: row.category,
    requires_assembly: row.requiresAssembly,
    requires_post_processing: false,
    image_url: images[0]?.url ?? null,
    images,
    is_active: row.isActive,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    sku_count: row.skuCount,
  };
}

/** A product row → the list item (through the schema, so nothing else can leak). */
export function toProduct(row: PublicProductRow) {
  return ProductSchema.parse(fields(row));
}

/** The one value every item agrees on, or null. */
function common<T>(values: T[]): T | null {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0]! : null;
}

/** The kit SKUs' parts grouped by part product, AutoPrintFarm's `kit.parts`. */
function kitParts(rows: PublicProductKitPart[]) {
  const byProduct = new Map<string, PublicProductKitPart[]>();
  for (const row of rows) {
    const group = byProduct.get(row.partProductId) ?? [];
    group.push(row);
    byProduct.set(row.partProductId, group);
  }
  return [...byProduct.values()].map((group) => ({
    part_id: group[0]!.partProductId,
    name: group[0]!.partProductName,
    print_file_id: null,
    file_name: common(group.map((r) => r.partPrintFileName)),
    quantity_per_kit: common(group.map((r) => r.quantityPerKit)),
    fixed_color: common(group.map((r) => r.partColor)),
    requires_assembly: false,
    components: [],
    variants: group.map((r) => ({
      kit_sku_id: r.kitSkuId,
      kit_color: r.kitColor,
      child_sku_id: r.partSkuId,
      child_sku: r.partSku,
      child_color: r.partColor,
      child_on_hand: r.partReadyStock,
      quantity_per_kit: r.quantityPerKit,
    })),
  }));
}

/** A product with its SKUs and kit parts → the detail. */
export function toProductDetail(row: PublicProductDetail) {
  return ProductDetailSchema.parse({
    ...fields(row),
    skus: row.skus.map(toSku),
    components: [],
    kit: { parts: kitParts(row.kitParts), bundle_extras: [], bundle_extras_by_variant: {} },
  });
}
