import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable, Transaction } from "../client.ts";
import { skuParts, skus, type stockMovements } from "../schema/index.ts";
import { adjustStock, type SkuView } from "./skus.ts";

import { isKitSku } from "./stock-status.ts";

/** A part of a kit: the part SKU and how many one kit takes. */
export interface KitPartInput {
  partSkuId: string;
  quantity: number;
}

/** The parts of a kit with their SKU code, name and ready stock, by SKU code. */
export async function listKitParts(db: Queryable, organizationId: string, kitSkuId: string) {
  return db
    .select({
      partSkuId: skuParts.partSkuId,
      sku: skus.sku,
      productName: skus.productName,
      color: skus.color,
      quantity: skuParts.quantity,
      readyStock: skus.readyStock,
    })
    .from(skuParts)
    .innerJoin(skus, eq(skus.id, skuParts.partSkuId))
    .where(and(eq(skuParts.organizationId, organizationId), eq(skuParts.kitSkuId, kitSkuId)))
    .orderBy(asc(skus.sku));
}

export type SetKitPartsResult =
  | { ok: true }
  | { ok: false; reason: "kit_not_found" }
  | { ok: false; reason: "unknown_part"; partSkuId: string }
  | { ok: false; reason: "part_is_kit"; partSkuId: string }
  | { ok: false; reason: "kit_is_part" };

/**
 * Replaces a kit's parts list (an empty list makes the SKU a plain product again). Parts are
 * SKUs of the same organization; a kit is never a part itself and a part never a kit, so
 * assembling is one level deep. Run in a transaction: the delete and insert belong together.
 */
export async function setKitParts(
  tx: Transaction,
  organizationId: string,
  kitSkuId: string,
  parts: readonly KitPartInput[],
): Promise<SetKitPartsResult> {
  // Locks the kit row so two concurrent changes of its parts list serialise.
  const [kit] = await tx
    .select({ id: skus.id })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, kitSkuId)))
    .for("update");
  if (!kit) return { ok: false, reason: "kit_not_found" };
  if (parts.length > 0) {
    const [usedAsPart] = await tx
      .select({ kit: skuParts.kitSkuId })
      .from(skuParts)
      .where(and(eq(skuParts.organizationId, organizationId), eq(skuParts.partSkuId, kitSkuId)))
      .limit(1);
    if (usedAsPart) return { ok: false, reason: "kit_is_part" };
    const ids = parts.map((p) => p.partSkuId);
    const known = await tx
      .select({
        id: skus.id,
        isKit: isKitSku,
      })
      .from(skus)
      .where(and(eq(skus.organizationId, organizationId), inArray(skus.id, ids)));
    for (const id of ids) {
      const part = known.find((k) => k.id === id);
      if (!part) return { ok: false, reason: "unknown_part", partSkuId: id };
      if (part.isKit) return { ok: false, reason: "part_is_kit", partSkuId: id };
    }
  }
  await tx.delete(skuParts).where(eq(skuParts.kitSkuId, kitSkuId));
  if (parts.length > 0) {
    await tx.insert(skuParts).values(
      parts.map((p) => ({
        organizationId,
        kitSkuId,
        partSkuId: p.partSkuId,
        quantity: p.quantity,
      })),
    );
  }
  return { ok: true };
}

export type AssemblyResult =
  | {
      ok: true;
      kit: SkuView;
      movements: (typeof stockMovements.$inferSelect)[];
    }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_a_kit" }
  | {
      ok: false;
      reason: "insufficient";
      partSkuId: string;
      sku: string;
      needed: number;
      readyStock: number;
    };

/**
 * Assembles `count` kits: takes each part's quantity × count from its ready stock and adds
 * `count` to the kit's, each as a stock movement. All or nothing: on a short part nothing is
 * written by this function before it returns, but earlier parts may have moved, so the caller
 * must roll the transaction back on a failure (throwing does that).
 */
export async function assembleKits(
  tx: Transaction,
  input: {
    organizationId: string;
    kitSkuId: string;
    count: number;
    actorUserId: string | null;
    at: Date;
  },
): Promise<AssemblyResult> {
  const { organizationId, kitSkuId, count, actorUserId, at } = input;
  const [kit] = await tx
    .select({ id: skus.id })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, kitSkuId)))
    .for("update");
  if (!kit) return { ok: false, reason: "not_found" };
  const parts = await listKitParts(tx, organizationId, kitSkuId);
  if (parts.length === 0) return { ok: false, reason: "not_a_kit" };
  const reason = `assembled ${count} kit${count === 1 ? "" : "s"}`;
  const movements: (typeof stockMovements.$inferSelect)[] = [];
  for (const part of parts) {
    const needed = part.quantity * count;
    const taken = await adjustStock(tx, {
      organizationId,
      skuId: part.partSkuId,
      delta: -needed,
      reason,
      actorUserId,
      at,
    });
    if (!taken.ok) {
      return {
        ok: false,
        reason: "insufficient",
        partSkuId: part.partSkuId,
        sku: part.sku,
        needed,
        readyStock: taken.reason === "insufficient" ? taken.readyStock : 0,
      };
    }
    movements.push(taken.movement);
  }
  const added = await adjustStock(tx, {
    organizationId,
    skuId: kitSkuId,
    delta: count,
    reason,
    actorUserId,
    at,
  });
  if (!added.ok) return { ok: false, reason: "not_found" };
  movements.push(added.movement);
  return { ok: true, kit: added.sku, movements };
}
