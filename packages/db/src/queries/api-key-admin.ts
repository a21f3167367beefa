import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../client.ts";
import { apiKeys, users } from "../schema/index.ts";

const successor = alias(apiKeys, "successor");

/** The organization's API keys (revoked ones too), newest first, with their creator's email. */
export async function listApiKeys(db: Queryable, organizationId: string) {
  return (
    db
      .select({
        id: apiKeys.id,
        preview: apiKeys.preview,
        name: apiKeys.name,
        scopes: apiKeys.scopes,
        createdById: apiKeys.createdBy,
        createdByEmail: users.email,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
        revokedReason: apiKeys.revokedReason,
        rateLimitPerMinute: apiKeys.rateLimitPerMinute,
        replacedById: successor.id,
        replacedByPreview: successor.preview,
      })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      // The key that replaced this one in a roll (a key is rolled at most once).
      .leftJoin(successor, eq(successor.rolledFromId, apiKeys.id))
      .where(eq(apiKeys.organizationId, organizationId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
  );
}

/** One key of the organization, locked until the transaction ends; undefined when none. */
export async function findApiKeyForUpdate(db: Queryable, organizationId: string, keyId: string) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      preview: apiKeys.preview,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.id, keyId)))
    .for("update");
  return row;
}

/** Everything a roll copies of a key, locked until the transaction ends; undefined when none. */
export async function findApiKeyForRoll(db: Queryable, organizationId: string, keyId: string) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      preview: apiKeys.preview,
      scopes: apiKeys.scopes,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      rolledFromId: apiKeys.rolledFromId,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.id, keyId)))
    .for("update");
  return row;
}

/** The key that replaced `keyId` in a roll, if it was rolled; undefined when none. */
export async function findRollSuccessor(db: Queryable, organizationId: string, keyId: string) {
  const [row] = await db
    .select({ id: apiKeys.id, preview: apiKeys.preview })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.rolledFromId, keyId)))
    .limit(1);
  return row;
}

/** Sets a key's expires_at; returns the updated key, or undefined when there is none. */
export async function setApiKeyExpiry(
  db: Queryable,
  organizationId: string,
  keyId: string,
  expiresAt: Date,
) {
  const [row] = await db
    .update(apiKeys)
    .set({ expiresAt })
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.id, keyId)))
    .returning({ id: apiKeys.id, expiresAt: apiKeys.expiresAt });
  return row;
}
