import type { StockStatus } from "@apf/domain";
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { skuParts, skus } from "../schema/index.ts";
import type { PageRequest } from "./paging.ts";
import {
  availableToBuild,
  effectiveStockLevel as effectiveStatus,
  isKitSku,
  isLowStock as isLow,
  stockStatus,
} from "./stock-status.ts";

export interface PublicInventoryFilters {
  /** true: at or below a set threshold; false: everything else (items without a threshold too). */
  lowStock?: boolean;
  sku?: string;
  material?: string;
  status?: StockStatus;
}

/** Every column an integrator may see; prices and costs are deliberately absent. */
const columns = {
  id: skus.inventoryId,
  productSkuId: skus.id,
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

const detailColumns = {
  ...columns,
  isComposite: isKitSku,
  availableToBuild,
  effectiveStatus,
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

export type PublicInventoryRow = Awaited<ReturnType<typeof listPublicInventory>>["rows"][number];

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

/** Items at or below their low-stock threshold, by SKU (items without a threshold never are). */
export async function listPublicInventoryAlerts(db: Queryable, organizationId: string) {
  return db
    .select(columns)
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), isLow))
    .orderBy(asc(skus.sku), asc(skus.id));
}

/** A kit's part as integrators see it: the part SKU, how many a kit takes, how many are ready. */
export interface PublicKitPart {
  productSkuId: string;
  sku: string;
  productName: string;
  color: string | null;
  quantityPerKit: number;
  readyStock: number;
}

/** A kit's parts (by part SKU code) with the stock of each; empty for a SKU that is not a kit. */
export async function listPublicKitParts(
  db: Queryable,
  organizationId: string,
  kitSkuId: string,
): Promise<PublicKitPart[]> {
  return db
    .select({
      productSkuId: skus.id,
      sku: skus.sku,
      productName: skus.productName,
      color: skus.color,
      quantityPerKit: skuParts.quantity,
      readyStock: skus.readyStock,
    })
    .from(skuParts)
    .innerJoin(skus, eq(skus.id, skuParts.partSkuId))
    .where(and(eq(skuParts.organizationId, organizationId), eq(skuParts.kitSkuId, kitSkuId)))
    .orderBy(asc(skus.sku));
}

export type PublicInventoryDetail = NonNullable<Awaited<ReturnType<typeof findDetail>>>;

async function findDetail(db: Queryable, organizationId: string, where: SQL) {
  const [row] = await db
    .select(detailColumns)
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), where))
    .limit(1);
  if (!row) return undefined;
  const parts: PublicKitPart[] = row.isComposite
    ? await listPublicKitParts(db, organizationId, row.productSkuId)
    : [];
  return { ...row, parts };
}

/**
 * One inventory item of the organization by its own id, with its kit fields, or undefined
 * (also for another organization's id).
 */
export async function findPublicInventoryItem(
  db: Queryable,
  organizationId: string,
  inventoryId: string,
) {
  return findDetail(db, organizationId, eq(skus.inventoryId, inventoryId));
}

/** The inventory item of a product SKU id, with its kit fields, or undefined. */
export async function findPublicInventoryItemBySku(
  db: Queryable,
  organizationId: string,
  skuId: string,
) {
  return findDetail(db, organizationId, eq(skus.id, skuId));
}

/**
 * Sets an item's low-stock threshold (null: none); the SKU id of the changed item, or
 * undefined when the organization has no such item.
 */
export async function setInventoryThreshold(
  db: Queryable,
  organizationId: string,
  inventoryId: string,
  threshold: number | null,
  at: Date,
) {
  const [row] = await db
    .update(skus)
    .set({ lowStockThreshold: threshold, updatedAt: at })
    .where(and(eq(skus.organizationId, organizationId), eq(skus.inventoryId, inventoryId)))
    .returning({ skuId: skus.id });
  return row;
}
