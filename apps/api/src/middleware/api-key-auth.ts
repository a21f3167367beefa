import type { ApiKeyForAuth } from "@apf/db/queries/api-key-auth";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiKeyDetails, ApiKeyPrincipal, AppEnv, PublicEnv } from "../context.ts";
import { requestActor } from "./actor.ts";
import { type BearerVerdict, verifyBearerToken } from "./bearer-credential.ts";
import { DEFAULT_KEY_BUDGET, startKeyBudget } from "./rate-limit.ts";

/** The verified key's preview and organization, once api-key-auth has run; else undefined. */
export function apiKeyDetails<E extends AppEnv>(c: Context<E>): ApiKeyDetails | undefined {
  return c.get("apiKeyDetails");
}

function verdict(row: ApiKeyForAuth | undefined, now: Date): BearerVerdict<ApiKeyForAuth> {
  if (!row) return { ok: false, code: "TOKEN_INVALID", message: "The API key is not recognised." };
  if (row.revokedAt) {
    return { ok: false, code: "TOKEN_REVOKED", message: "The API key has been revoked." };
  }
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      code: "TOKEN_EXPIRED",
      message: `The API key expired at ${row.expiresAt.toISOString()}.`,
    };
  }
  return { ok: true, principal: row };
}

// Keys are looked up through the key cache (services/key-cache.ts): served from process memory
// only after Redis confirmed, on this request, that the key did not change since it was read
// from Postgres; so a revoke is seen by every instance on the very next request.

/**
 * Authenticates /public/v1: Bearer credential → well-formed apf_live_ key (offline) → lookup by
 * SHA-256 → not revoked → not expired; then sets c.get("apiKey").
 */
export const apiKeyAuth = createMiddleware<PublicEnv>(async (c, next) => {
  const services = c.get("services");
  const now = services.clock.now();
  let keyHash = "";
  const row = await verifyBearerToken(c, {
    kind: "live",
    noun: "API key",
    verify: async (hash) => {
      keyHash = hash;
      const cache = services.keyCache;
      const cached = cache.peek(hash);
      if (cached) {
        startKeyBudget(c, cached.id, cached.rateLimitPerMinute ?? DEFAULT_KEY_BUDGET);
      }
      return verdict(await cache.lookup(hash), now);
    },
  });
  const principal: ApiKeyPrincipal = {
    keyId: row.id,
    organizationId: row.organizationId,
    name: row.name,
    scopes: row.scopes,
    rateLimitPerMinute: row.rateLimitPerMinute ?? DEFAULT_KEY_BUDGET,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
  c.set("apiKeyDetails", {
    preview: row.preview,
    organization: {
      id: row.organizationId,
      name: row.organizationName,
      allowedOrigins: row.allowedOrigins,
    },
  });
  c.set("apiKey", principal);
  c.set("actor", { ...requestActor(c, "api_key", row.id), organizationId: row.organizationId });
  // Written off the request path, at most once a minute per key (services/key-touches.ts).
  services.keyTouches.note(keyHash, row, now);
  await next();
});
