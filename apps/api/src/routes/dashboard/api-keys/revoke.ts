import { findApiKeyForUpdate } from "@apf/db/queries/api-key-admin";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { auditOrigin, recordAudit } from "../../../services/audit.ts";
import { announceKeyRevoked } from "../../../services/key-events.ts";
import {
  dataResponse,
  errors,
  iso,
  ok,
  orgParamsWith,
  SESSION_SECURITY,
  TAGS,
  timestamp,
} from "../openapi.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/api-keys/{keyId}",
  operationId: "dashboardRevokeApiKey",
  tags: TAGS,
  summary: "Revoke an API key, immediately on every instance (owner, admin)",
  description: "Revoking twice is harmless: the first revoked_at is kept.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("keyId") },
  responses: {
    200: dataResponse(z.object({ id: z.uuid(), revoked_at: timestamp }), "The key is revoked."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { keyId } = c.req.valid("param");
  const { services } = c.var;
  const { organizationId } = c.var.org;
  const now = services.clock.now();
  const key = await services.db.transaction(async (tx) => {
    const existing = await findApiKeyForUpdate(tx, organizationId, keyId);
    if (!existing) throw new ApiError("NOT_FOUND", "No such API key in this organization.");
    if (existing.revokedAt) return existing;
    const revoked = await revokeApiKey(tx, organizationId, keyId, now);
    await recordAudit(tx, auditOrigin(c), {
      organizationId,
      action: "api_key.revoked",
      target: { type: "api_key", id: existing.id },
      details: { name: existing.name, preview: existing.preview },
    });
    return revoked!;
  });
  // After the commit, so that an instance that drops its cache re-reads the revoked row.
  await announceKeyRevoked(services, key.id);
  return c.json(ok({ id: key.id, revoked_at: iso(key.revokedAt!) }), 200);
};
