import { mintToken } from "@apf/auth";
import { findApiKeyForRoll, findRollSuccessor } from "@apf/db/queries/api-key-admin";
import { insertApiKey } from "@apf/db/queries/api-keys";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { type Actor, recordAudit } from "../audit/audit.ts";
import { invalidateApiKeys } from "./key-cache.ts";
import { shortenKeyExpiry } from "./key-expiry.ts";

/** Longest an old key may keep working after a roll. */
export const MAX_ROLL_GRACE_HOURS = 72;

/**
 * Rolls a key: a new key with the same name, scopes and budget (and the old key's expiry), and the
 * old one expiring at the earlier of its own expiry and now + grace (0: at once). One
 * transaction, audited on both keys. A revoked or expired key cannot be rolled (409).
 *
 * At most the current key and one old key work at any time: a key that was already rolled cannot
 * be rolled again (409 naming its replacement), and rolling the replacement while the key before
 * it is still in its grace period ends that grace at once.
 */
export async function rollApiKey(
  services: Pick<Services, "db" | "redis" | "logger">,
  actor: { origin: Actor; organizationId: string; userId: string; now: Date },
  keyId: string,
  graceHours: number,
) {
  const { organizationId, now } = actor;
  const minted = mintToken("live");
  const rolled = await services.db.transaction(async (tx) => {
    const old = await findApiKeyForRoll(tx, organizationId, keyId);
    if (!old) throw new DomainError("NOT_FOUND", "No such API key in this organization.");
    if (old.revokedAt) throw new DomainError("CONFLICT", "This key is revoked; mint a new one.");
    if (old.expiresAt && old.expiresAt <= now) {
      throw new DomainError("CONFLICT", "This key has expired; mint a new one.");
    }
    const successor = await findRollSuccessor(tx, organizationId, old.id);
    if (successor) {
      throw new DomainError(
        "CONFLICT",
        `This key was already rolled (its replacement is ${successor.preview}, id ${successor.id}); roll the replacement instead.`,
      );
    }
    // The key this one replaced stops now: only this key (in its grace) and the new one remain.
    const before = old.rolledFromId
      ? await findApiKeyForRoll(tx, organizationId, old.rolledFromId)
      : undefined;
    const graceEnded =
      before && !before.revokedAt && (!before.expiresAt || before.expiresAt > now)
        ? { id: before.id, expiresAt: await shortenKeyExpiry(tx, organizationId, before, now) }
        : null;
    const key = await insertApiKey(tx, {
      organizationId,
      name: old.name,
      keyHash: minted.hash,
      preview: minted.preview,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      rateLimitPerMinute: old.rateLimitPerMinute,
      createdBy: actor.userId,
      rolledFromId: old.id,
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
        ...(graceEnded ? { ended_grace_of: graceEnded.id } : {}),
      },
    });
    return {
      key,
      token: minted.token,
      old: { id: old.id, expiresAt: oldExpiresAt },
      graceEnded,
    };
  });
  // After the commit: every instance holding the old keys in its cache re-reads their expiry.
  await invalidateApiKeys(
    services,
    organizationId,
    rolled.graceEnded ? [rolled.old.id, rolled.graceEnded.id] : [rolled.old.id],
  );
  return rolled;
}
