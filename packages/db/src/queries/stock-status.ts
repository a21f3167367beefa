import type { StockLevel, StockStatus } from "@apf/domain";
import { sql } from "drizzle-orm";
import { skuParts, skus } from "../schema/index.ts";

/*
 * The stock view: how a SKU's stock reads, kits included. One rule, in SQL so that lists can
 * filter and sort by it; the dashboard's SKUs, /public/v1 inventory and analytics all select it.
 */

/**
 * The outer row's SKU id, always table-qualified: drizzle writes a single-table select's columns
 * unqualified, and inside a subquery over skus a bare "id" would name the inner row.
 */
export const outerSkuId = sql`${sql.identifier("skus")}.${sql.identifier("id")}`;

/** Whether the SKU (of the outer row over `skus`) is a kit: it lists parts. */
export const isKitSku = sql<boolean>`exists (select 1 from ${skuParts} sp where sp.kit_sku_id = ${outerSkuId})`;

/** At or below a set threshold; an item without a threshold is never low. */
export const isLowStock = sql<boolean>`(${skus.lowStockThreshold} is not null and ${skus.readyStock} <= ${skus.lowStockThreshold})`;

/** How many kits the parts on hand make; 0 for a SKU that is not a kit. */
export const availableToBuild = sql<number>`coalesce((
  select min(part.ready_stock / sp.quantity)::int
  from ${skuParts} sp join ${skus} part on part.id = sp.part_sku_id
  where sp.kit_sku_id = ${outerSkuId}
), 0)`;

/** The SKU's status: its level, or `needs_assembly` for a kit with none ready whose parts make one. */
export const stockStatus = sql<StockStatus>`(case
  when ${skus.readyStock} <= 0 and ${availableToBuild} >= 1 then 'needs_assembly'
  when ${skus.readyStock} <= 0 then 'out_of_stock'
  when ${isLowStock} then 'low_stock'
  else 'in_stock' end)`;

/** The level the stock would have with every kit the parts make assembled. */
export const effectiveStockLevel = sql<StockLevel>`(case
  when ${skus.readyStock} + ${availableToBuild} <= 0 then 'out_of_stock'
  when ${skus.lowStockThreshold} is not null
    and ${skus.readyStock} + ${availableToBuild} <= ${skus.lowStockThreshold} then 'low_stock'
  else 'in_stock' end)`;
