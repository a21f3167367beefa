import { mintToken } from "@apf/auth";
import { findApiKeyForRoll } from "@apf/db/queries/api-key-admin";
import { insertApiKey } from "@apf/db/queries/api-keys";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { type AuditOrigin, recordAudit } from "./audit.ts";
import { invalidateApiKeys } from "./key-cache.ts";
import { shortenKeyExpiry } from "./key-expiry.ts";

/** Longest an old key may keep working after a roll. */
export const MAX_ROLL_GRACE_HOURS = 72;

/**
 * Rolls a key: a new key with the same name, scopes and budget (and the old key's expiry), and the
 * old one expiring at the earlier of its own expiry and now + grace (0: at once). One
 * transaction, audited on both keys. A revoked or expired key cannot be rolled (409).
 */
export async function rollApiKey(
  services: Pick<Services, "db" | "redis" | "logger">,
  actor: { origin: AuditOrigin; organizationId: string; userId: string; now: Date },
  keyId: string,
  graceHours: number,
) {
  const { organizationId, now } = actor;
  const minted = mintToken("live");
  const rolled = await services.db.transaction(async (tx) => {
    const old = await findApiKeyForRoll(tx, organizationId, keyId);
    if (!old) throw new ApiError("NOT_FOUND", "No such API key in this organization.");
    if (old.revokedAt) throw new ApiError("CONFLICT", "This key is revoked; mint a new one.");
    if (old.expiresAt && old.expiresAt <= now) {
      throw new ApiError("CONFLICT", "This key has expired; mint a new one.");
    }
    const key = await insertApiKey(tx, {
      organizationId,
      name: old.name,
      keyHash: minted.hash,
      preview: minted.preview,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      rateLimitPerMinute: old.rateLimitPerMinute,
      createdBy: actor.userId,
    });
    const oldExpiresAt = await shortenKeyExpiry(
      tx,
      organizationId,
      old,
      new Date(now.getTime() + graceHours * 3_600_000),
    );
    await recordAudit(tx, actor.origin, {
      organizationId,
      action: "api_key.created",
      target: { type: "api_key", id: key.id },
      details: { name: key.name, preview: key.preview, scopes: key.scopes, rolled_from: old.id },
    });
    await recordAudit(tx, actor.origin, {
      organizationId,
      action: "api_key.rolled",
      target: { type: "api_key", id: old.id },
      details: {
        name: old.name,
        preview: old.preview,
        new_key_id: key.id,
        grace_hours: graceHours,
        expires_at: oldExpiresAt.toISOString(),
      },
    });
    return { key, token: minted.token, old: { id: old.id, expiresAt: oldExpiresAt } };
  });
  // After the commit: every instance holding the old key in its cache re-reads its expiry.
  await invalidateApiKeys(services, organizationId, [rolled.old.id]);
  return rolled;
}
