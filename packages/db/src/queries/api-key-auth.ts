import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type Database, preparedPerDatabase, type Queryable } from "../client.ts";
import { apiKeys, organizations } from "../schema/index.ts";

const keyByHash = preparedPerDatabase((db: Database) =>
  db
    .select({
      id: apiKeys.id,
      organizationId: apiKeys.organizationId,
      name: apiKeys.name,
      preview: apiKeys.preview,
      scopes: apiKeys.scopes,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      organizationName: organizations.name,
      allowedOrigins: organizations.allowedOrigins,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .where(eq(apiKeys.keyHash, sql.placeholder("hash")))
    .limit(1)
    .prepare("apf_api_key_for_auth"),
);

/**
 * The key with this SHA-256 hash, with its organization's name and CORS origins, or undefined.
 * The one query that runs before the organization is known: the hash is what establishes it.
 * Revoked and expired keys are returned too, so the caller can say which check failed.
 * A prepared statement (parsed and planned once per connection).
 */
export async function findApiKeyForAuth(db: Database, keyHash: string) {
  const [row] = await keyByHash(db).execute({ hash: keyHash });
  return row;
}

/** The hashes of these keys of the organization (all of its keys when `keyIds` is omitted). */
export async function findApiKeyHashes(
  db: Queryable,
  organizationId: string,
  keyIds?: string[],
): Promise<string[]> {
  const rows = await db
    .select({ hash: apiKeys.keyHash })
    .from(apiKeys)
    .where(
      keyIds
        ? and(eq(apiKeys.organizationId, organizationId), inArray(apiKeys.id, keyIds))
        : eq(apiKeys.organizationId, organizationId),
    );
  return rows.map((r) => r.hash);
}

export type ApiKeyForAuth = NonNullable<Awaited<ReturnType<typeof findApiKeyForAuth>>>;

/**
 * Sets last_used_at to `at` unless it is already later than `notBefore`, so that any number of
 * API instances write a key's row at most once per interval. True when the row was written.
 */
export async function touchApiKeyLastUsed(
  db: Queryable,
  organizationId: string,
  keyId: string,
  at: Date,
  notBefore: Date,
): Promise<boolean> {
  const written = await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(apiKeys.organizationId, organizationId),
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, notBefore)),
      ),
    )
    .returning({ id: apiKeys.id });
  return written.length > 0;
}
