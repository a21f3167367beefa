import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { skus } from "../schema/index.ts";
import type { PageRequest } from "./public-printers.ts";

export const STOCK_STATUSES = ["in_stock", "low_stock", "out_of_stock"] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export interface PublicInventoryFilters {
  /** true: at or below a set threshold; false: everything else (items without a threshold too). */
  lowStock?: boolean;
  sku?: string;
  material?: string;
  status?: StockStatus;
}

/** An item without a threshold is never low. */
const isLow = sql<boolean>`(${skus.lowStockThreshold} is not null and ${skus.readyStock} <= ${skus.lowStockThreshold})`;

const stockStatus = sql<StockStatus>`(case
  when ${skus.readyStock} <= 0 then 'out_of_stock'
  when ${isLow} then 'low_stock'
  else 'in_stock' end)`;

/** Every column an integrator may see; prices and costs are deliberately absent. */
const columns = {
  id: skus.id,
  sku: skus.sku,
  color: skus.color,
  material: skus.material,
  readyStock: skus.readyStock,
  lowStockThreshold: skus.lowStockThreshold,
  status: stockStatus,
  imageUrl: skus.imageUrl,
  isActive: skus.isActive,
  createdAt: skus.createdAt,
  updatedAt: skus.updatedAt,
  productId: skus.productId,
  productName: skus.productName,
};

function filtersWhere(organizationId: string, filters: PublicInventoryFilters): SQL {
  const conditions: SQL[] = [eq(skus.organizationId, organizationId)];
  if (filters.lowStock === true) conditions.push(isLow);
  if (filters.lowStock === false) conditions.push(sql`not ${isLow}`);
  if (filters.sku !== undefined) conditions.push(eq(skus.sku, filters.sku));
  if (filters.material !== undefined) conditions.push(eq(skus.material, filters.material));
  if (filters.status !== undefined) conditions.push(sql`${stockStatus} = ${filters.status}`);
  return and(...conditions)!;
}

export type PublicInventoryRow = NonNullable<Awaited<ReturnType<typeof findPublicInventoryItem>>>;

/** The organization's SKUs with their stock, by SKU; all, or one page and the total when paged. */
export async function listPublicInventory(
  db: Queryable,
  organizationId: string,
  filters: PublicInventoryFilters,
  page?: PageRequest,
) {
  const where = filtersWhere(organizationId, filters);
  const query = db.select(columns).from(skus).where(where).orderBy(asc(skus.sku), asc(skus.id));
  if (!page) return { rows: await query, count: undefined };
  const [rows, [total]] = await Promise.all([
    query.limit(page.limit).offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(skus).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** One SKU of the organization with its stock, or undefined (also for another organization's id). */
export async function findPublicInventoryItem(
  db: Queryable,
  organizationId: string,
  skuId: string,
) {
  const [row] = await db
    .select(columns)
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, skuId)))
    .limit(1);
  return row;
}
