import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../client.ts";
import { skuParts, skus } from "../schema/index.ts";
import type { PageRequest } from "./paging.ts";
import { listPublicKitParts } from "./public-inventory.ts";
import {
  availableToBuild,
  effectiveStockLevel,
  isKitSku,
  isLowStock,
  stockStatus,
} from "./stock-status.ts";

/*
 * Products and SKUs as integrators see them (AutoPrintFarm's /products and /skus). apf keeps no
 * product rows: a product is the SKUs that share a product_id (its colour variants), so a
 * product's figures are read from them. Prices and costs are deliberately absent.
 */

/** A product image: the image of one of its SKUs. */
export interface PublicProductImage {
  skuId: string;
  url: string;
}

/** One row per product_id of the organization, read from its SKUs. */
function productsOf(db: Queryable, organizationId: string, productId?: string) {
  const where = [eq(skus.organizationId, organizationId)];
  if (productId !== undefined) where.push(eq(skus.productId, productId));
  return db
    .select({
      id: sql<string>`${skus.productId}`.as("id"),
      // SKUs carry the name; when they disagree the product's first SKU names it.
      name: sql<string>`(array_agg(${skus.productName} order by ${skus.createdAt}, ${skus.id}))[1]`.as(
        "name",
      ),
      // apf records neither; kept as columns so the filters read like any other.
      description: sql<string | null>`null::text`.as("description"),
      category: sql<string | null>`null::text`.as("category"),
      requiresAssembly: sql<boolean>`bool_or(${isKitSku})`.as("requires_assembly"),
      isActive: sql<boolean>`bool_or(${skus.isActive})`.as("is_active"),
      images: sql<PublicProductImage[] | string>`coalesce(json_agg(json_build_object(
          'skuId', ${skus.id}, 'url', ${skus.imageUrl}) order by ${skus.sku}, ${skus.id})
        filter (where ${skus.imageUrl} is not null), '[]'::json)`.as("images"),
      skuCount: sql<number>`count(*)::int`.as("sku_count"),
      createdAt: sql<Date>`min(${skus.createdAt})`.mapWith(skus.createdAt).as("created_at"),
      updatedAt: sql<Date>`max(${skus.updatedAt})`.mapWith(skus.updatedAt).as("updated_at"),
    })
    .from(skus)
    .where(and(...where))
    .groupBy(skus.productId)
    .as("products");
}

type ProductsSubquery = ReturnType<typeof productsOf>;

function productFields(p: ProductsSubquery) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    category: p.category,
    requiresAssembly: p.requiresAssembly,
    isActive: p.isActive,
    images: p.images,
    skuCount: p.skuCount,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** json_agg arrives parsed from node-postgres and PGlite alike; a string is parsed here. */
function withImages<T extends { images: PublicProductImage[] | string }>(row: T) {
  const images = typeof row.images === "string" ? JSON.parse(row.images) : row.images;
  return { ...row, images: images as PublicProductImage[] };
}

export interface PublicProductFilters {
  /** Exact category; apf records none, so any category matches no product. */
  category?: string;
  /** true: products with an active SKU; false: products whose SKUs are all inactive. */
  isActive?: boolean;
  /** Case-insensitive substring of the name or the description. */
  search?: string;
}

export type PublicProductRow = ReturnType<
  typeof withImages<Awaited<ReturnType<typeof pageOf>>[number]>
>;

function pageOf(db: Queryable, p: ProductsSubquery, where: SQL | undefined, page: PageRequest) {
  return db
    .select(productFields(p))
    .from(p)
    .where(where)
    .orderBy(asc(p.name), asc(p.id))
    .limit(page.limit)
    .offset(page.offset);
}

/** One page of the organization's products by name, and how many match in all. */
export async function listPublicProducts(
  db: Queryable,
  organizationId: string,
  filters: PublicProductFilters,
  page: PageRequest,
) {
  const p = productsOf(db, organizationId);
  const conditions: SQL[] = [];
  if (filters.category !== undefined) conditions.push(sql`${p.category} = ${filters.category}`);
  if (filters.isActive !== undefined) conditions.push(eq(p.isActive, filters.isActive));
  if (filters.search !== undefined) {
    conditions.push(sql`(strpos(lower(${p.name}), lower(${filters.search})) > 0
      or strpos(lower(coalesce(${p.description}, '')), lower(${filters.search})) > 0)`);
  }
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    pageOf(db, p, where, page),
    db.select({ count: sql<number>`count(*)::int` }).from(p).where(where),
  ]);
  return { rows: rows.map(withImages), count: total?.count ?? 0 };
}

/** Every column of a SKU an integrator may see, with its stock status from the stock view. */
const skuColumns = {
  id: skus.id,
  productId: skus.productId,
  productName: skus.productName,
  sku: skus.sku,
  color: skus.color,
  material: skus.material,
  unitsPerPrint: skus.unitsPerPrint,
  readyStock: skus.readyStock,
  lowStockThreshold: skus.lowStockThreshold,
  status: stockStatus,
  isComposite: isKitSku,
  isActive: skus.isActive,
  imageUrl: skus.imageUrl,
  inventoryId: skus.inventoryId,
  createdAt: skus.createdAt,
  updatedAt: skus.updatedAt,
};

export interface PublicSkuFilters {
  productId?: string;
  /** Compared case-insensitively. */
  color?: string;
  /** The SKU's material, exactly. */
  filamentType?: string;
  /** true: at or below a set threshold; false: everything else (SKUs without a threshold too). */
  lowStock?: boolean;
  isActive?: boolean;
}

function skuWhere(organizationId: string, filters: PublicSkuFilters): SQL {
  const conditions: SQL[] = [eq(skus.organizationId, organizationId)];
  if (filters.productId !== undefined) conditions.push(eq(skus.productId, filters.productId));
  if (filters.color !== undefined) {
    conditions.push(sql`lower(${skus.color}) = lower(${filters.color})`);
  }
  if (filters.filamentType !== undefined) conditions.push(eq(skus.material, filters.filamentType));
  if (filters.lowStock === true) conditions.push(isLowStock);
  if (filters.lowStock === false) conditions.push(sql`not ${isLowStock}`);
  if (filters.isActive !== undefined) conditions.push(eq(skus.isActive, filters.isActive));
  return and(...conditions)!;
}

export type PublicSkuRow = Awaited<ReturnType<typeof listPublicSkus>>["rows"][number];

/** The organization's SKUs by code; all, or one page and the total when paged. */
export async function listPublicSkus(
  db: Queryable,
  organizationId: string,
  filters: PublicSkuFilters,
  page?: PageRequest,
) {
  const where = skuWhere(organizationId, filters);
  const query = db.select(skuColumns).from(skus).where(where).orderBy(asc(skus.sku), asc(skus.id));
  if (!page) return { rows: await query, count: undefined };
  const [rows, [total]] = await Promise.all([
    query.limit(page.limit).offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(skus).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/**
 * One SKU of the organization with its kit figures and parts, or undefined (also for another
 * organization's id).
 */
export async function findPublicSku(db: Queryable, organizationId: string, skuId: string) {
  const [row] = await db
    .select({ ...skuColumns, availableToBuild, effectiveStatus: effectiveStockLevel })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, skuId)))
    .limit(1);
  if (!row) return undefined;
  const parts = row.isComposite ? await listPublicKitParts(db, organizationId, row.id) : [];
  return { ...row, parts };
}

export type PublicSkuDetail = NonNullable<Awaited<ReturnType<typeof findPublicSku>>>;

/** A part a kit SKU of the product takes: the kit SKU, the part SKU and how many. */
export interface PublicProductKitPart {
  kitSkuId: string;
  kitSku: string;
  kitColor: string | null;
  partSkuId: string;
  partSku: string;
  partColor: string | null;
  partProductId: string;
  partProductName: string;
  partPrintFileName: string | null;
  quantityPerKit: number;
  partReadyStock: number;
}

/**
 * One product of the organization with its SKUs (by code) and the parts its kit SKUs take, or
 * undefined when no SKU of the organization carries that product id.
 */
export async function findPublicProduct(db: Queryable, organizationId: string, productId: string) {
  const p = productsOf(db, organizationId, productId);
  const [product] = await db.select(productFields(p)).from(p);
  if (!product) return undefined;
  const kit = alias(skus, "kit");
  const part = alias(skus, "part");
  const [skuRows, kitParts] = await Promise.all([
    listPublicSkus(db, organizationId, { productId }),
    db
      .select({
        kitSkuId: kit.id,
        kitSku: kit.sku,
        kitColor: kit.color,
        partSkuId: part.id,
        partSku: part.sku,
        partColor: part.color,
        partProductId: part.productId,
        partProductName: part.productName,
        partPrintFileName: part.printFileName,
        quantityPerKit: skuParts.quantity,
        partReadyStock: part.readyStock,
      })
      .from(skuParts)
      .innerJoin(kit, eq(kit.id, skuParts.kitSkuId))
      .innerJoin(part, eq(part.id, skuParts.partSkuId))
      .where(
        and(
          eq(skuParts.organizationId, organizationId),
          eq(kit.organizationId, organizationId),
          eq(kit.productId, productId),
        ),
      )
      .orderBy(asc(part.productName), asc(part.productId), asc(kit.sku), asc(part.sku)),
  ]);
  return {
    ...withImages(product),
    skus: skuRows.rows,
    kitParts: kitParts satisfies PublicProductKitPart[],
  };
}

export type PublicProductDetail = NonNullable<Awaited<ReturnType<typeof findPublicProduct>>>;
