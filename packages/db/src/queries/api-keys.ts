import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { apiKeys, type RevokedReason } from "../schema/index.ts";

export interface NewApiKey {
  organizationId: string;
  name: string;
  keyHash: string;
  preview: string;
  scopes: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
  createdBy?: string | null;
  /** The key this one replaces in a roll. */
  rolledFromId?: string | null;
}

/** Stores a minted key (its hash and preview only). */
export async function insertApiKey(db: Queryable, input: NewApiKey) {
  const [row] = await db
    .insert(apiKeys)
    .values({
      organizationId: input.organizationId,
      name: input.name,
      keyHash: input.keyHash,
      preview: input.preview,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      createdBy: input.createdBy ?? null,
      rolledFromId: input.rolledFromId ?? null,
    })
    .returning();
  return row!;
}

/**
 * Revokes a key of this organization. Revoking twice keeps the first revoked_at.
 * Returns undefined when the organization has no such key.
 */
export async function revokeApiKey(
  db: Queryable,
  organizationId: string,
  keyId: string,
  at: Date,
  reason: RevokedReason = "manual",
) {
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: at, revokedReason: reason })
    .where(
      and(
        eq(apiKeys.organizationId, organizationId),
        eq(apiKeys.id, keyId),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning();
  if (revoked) return revoked;
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.id, keyId)))
    .limit(1);
  return existing;
}
