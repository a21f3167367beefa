import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

/** Finished goods: one row per SKU, with its ready stock. */
export const skus = pgTable(
  "skus",
  {
    id: id(),
    /**
     * The id of the SKU's finished-goods inventory item on /public/v1: a row id of its own,
     * distinct from the SKU's id (product_sku_id), as AutoPrintFarm has it.
     */
    inventoryId: uuid("inventory_id").notNull().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Groups SKUs of one product (colour variants); generated when not given. */
    productId: uuid("product_id").notNull().defaultRandom(),
    sku: text("sku").notNull(),
    productName: text("product_name").notNull(),
    color: text("color"),
    material: text("material"),
    /** The print file whose completed jobs add to ready_stock. */
    printFileName: text("print_file_name"),
    unitsPerPrint: integer("units_per_print").notNull().default(1),
    readyStock: integer("ready_stock").notNull().default(0),
    lowStockThreshold: integer("low_stock_threshold"),
    imageUrl: text("image_url"),
    /** Never exposed on /public/v1. */
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("skus_org_sku_key").on(t.organizationId, t.sku),
    uniqueIndex("skus_inventory_id_key").on(t.inventoryId),
    index("skus_org_material_idx").on(t.organizationId, t.material),
    index("skus_org_print_file_idx")
      .on(t.organizationId, t.printFileName)
      .where(sql`${t.printFileName} is not null`),
  ],
);

/** Every change of ready_stock, manual or from a completed job. */
export const stockMovements = pgTable(
  "stock_movements",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    skuId: uuid("sku_id")
      .notNull()
      .references(() => skus.id, { onDelete: "cascade" }),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    /** The completed job this movement counts; unique so a job counts once. */
    jobId: uuid("job_id"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("stock_movements_sku_idx").on(t.organizationId, t.skuId, t.createdAt),
    uniqueIndex("stock_movements_job_key").on(t.jobId).where(sql`${t.jobId} is not null`),
  ],
);

/**
 * Composite products: a kit SKU is assembled from parts, other SKUs of the same organization,
 * `quantity` of each per kit. Assembling moves stock from the parts to the kit.
 */
export const skuParts = pgTable(
  "sku_parts",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kitSkuId: uuid("kit_sku_id")
      .notNull()
      .references(() => skus.id, { onDelete: "cascade" }),
    partSkuId: uuid("part_sku_id")
      .notNull()
      .references(() => skus.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.kitSkuId, t.partSkuId] }),
    index("sku_parts_org_part_idx").on(t.organizationId, t.partSkuId),
    check("sku_parts_quantity_positive", sql`${t.quantity} > 0`),
    check("sku_parts_not_self", sql`${t.kitSkuId} <> ${t.partSkuId}`),
  ],
);
