import { and, asc, eq, getTableColumns, gte, ne, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { skus, stockMovements } from "../schema/index.ts";
import { isLowStock, stockStatus } from "./stock-status.ts";

/** A SKU row with its stock status (the stock view, kits included). */
const skuView = { ...getTableColumns(skus), status: stockStatus };
export type SkuView = typeof skus.$inferSelect & { status: (typeof stockStatus)["_"]["type"] };

export interface SkuFields {
  sku: string;
  productName: string;
  productId?: string;
  color?: string | null;
  material?: string | null;
  printFileName?: string | null;
  unitsPerPrint?: number;
  lowStockThreshold?: number | null;
  imageUrl?: string | null;
  /** Decimal as a string, e.g. "12.50". */
  unitPrice?: string | null;
  isActive?: boolean;
}

/** Creates a SKU; undefined when the organization already has one with this code. */
export async function insertSku(db: Queryable, organizationId: string, input: SkuFields, at: Date) {
  const [row] = await db
    .insert(skus)
    .values({ ...input, organizationId, createdAt: at, updatedAt: at })
    .onConflictDoNothing({ target: [skus.organizationId, skus.sku] })
    .returning(skuView);
  return row;
}

/** The organization's SKUs, by code. */
export async function listSkus(db: Queryable, organizationId: string) {
  return db
    .select(skuView)
    .from(skus)
    .where(eq(skus.organizationId, organizationId))
    .orderBy(asc(skus.sku), asc(skus.id));
}

/** One SKU of the organization, or undefined. */
export async function findSku(db: Queryable, organizationId: string, skuId: string) {
  const [row] = await db
    .select(skuView)
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, skuId)))
    .limit(1);
  return row;
}

/** Whether another SKU of the organization already uses this code. */
export async function skuCodeTaken(
  db: Queryable,
  organizationId: string,
  code: string,
  exceptSkuId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: skus.id })
    .from(skus)
    .where(
      and(eq(skus.organizationId, organizationId), eq(skus.sku, code), ne(skus.id, exceptSkuId)),
    )
    .limit(1);
  return row !== undefined;
}

/** Applies the patch; undefined when the organization has no such SKU. */
export async function updateSku(
  db: Queryable,
  organizationId: string,
  skuId: string,
  patch: Partial<SkuFields>,
  at: Date,
) {
  const [row] = await db
    .update(skus)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, skuId)))
    .returning(skuView);
  return row;
}

export type StockAdjustment =
  | {
      ok: true;
      sku: SkuView;
      movement: typeof stockMovements.$inferSelect;
    }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "insufficient"; readyStock: number };

/**
 * Adds `delta` (negative to remove) to a SKU's ready stock and records the movement. The stock
 * never goes below zero: the update is conditional, so concurrent adjustments cannot overdraw.
 * Run it in a transaction so the movement and the stock change commit together.
 */
export async function adjustStock(
  db: Queryable,
  input: {
    organizationId: string;
    skuId: string;
    delta: number;
    reason: string;
    actorUserId: string | null;
    at: Date;
  },
): Promise<StockAdjustment> {
  const where = and(eq(skus.organizationId, input.organizationId), eq(skus.id, input.skuId));
  const [sku] = await db
    .update(skus)
    .set({ readyStock: sql`${skus.readyStock} + ${input.delta}`, updatedAt: input.at })
    .where(and(where, gte(sql`${skus.readyStock} + ${input.delta}`, 0)))
    .returning(skuView);
  if (!sku) {
    const existing = await findSku(db, input.organizationId, input.skuId);
    return existing
      ? { ok: false, reason: "insufficient", readyStock: existing.readyStock }
      : { ok: false, reason: "not_found" };
  }
  const [movement] = await db
    .insert(stockMovements)
    .values({
      organizationId: input.organizationId,
      skuId: input.skuId,
      delta: input.delta,
      reason: input.reason,
      actorUserId: input.actorUserId,
      createdAt: input.at,
    })
    .returning();
  return { ok: true, sku, movement: movement! };
}

/**
 * Whether a SKU's stock is low (stock-status.ts's rule), locked until the transaction ends when
 * `lock` (read before a change, so the change's inventory.low_stock knows where it started).
 * Undefined when the organization has no such SKU.
 */
export async function isSkuLow(
  db: Queryable,
  organizationId: string,
  skuId: string,
  lock = false,
): Promise<boolean | undefined> {
  const query = db
    .select({ low: isLowStock })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, skuId)));
  const [row] = lock ? await query.for("update") : await query;
  return row?.low;
}
