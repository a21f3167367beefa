import type { Queryable } from "@apf/db";
import { setApiKeyExpiry } from "@apf/db/queries/api-key-admin";

/**
 * Brings an API key's expiry forward to `at` (never later than it already was). Every change of
 * a key's lifetime short of a revoke goes through here (see revoke-credential.ts for revokes),
 * so what must follow one (a cache eviction) has one place to hook in. Runs in the caller's
 * transaction; returns the key's expiry after the change.
 */
export async function shortenKeyExpiry(
  db: Queryable,
  organizationId: string,
  key: { id: string; expiresAt: Date | null },
  at: Date,
): Promise<Date> {
  if (key.expiresAt && key.expiresAt <= at) return key.expiresAt;
  const updated = await setApiKeyExpiry(db, organizationId, key.id, at);
  return updated?.expiresAt ?? at;
}
