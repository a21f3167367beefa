import type { Scope } from "@apf/auth";
import { listApiKeys } from "@apf/db/queries/api-key-admin";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, iso, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { apiKeySchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/api-keys",
  operationId: "dashboardListApiKeys",
  tags: TAGS,
  summary: "The organization's API keys, revoked ones included (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(apiKeySchema), "Keys, newest first, without the key itself."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listApiKeys(c.get("services").db, c.get("org").organizationId);
  return json(
    c,
    ok(
      rows.map((k) => ({
        id: k.id,
        preview: k.preview,
        name: k.name,
        scopes: k.scopes as Scope[],
        created_by:
          k.createdById && k.createdByEmail ? { id: k.createdById, email: k.createdByEmail } : null,
        created_at: iso(k.createdAt),
        last_used_at: iso(k.lastUsedAt),
        expires_at: iso(k.expiresAt),
        revoked_at: iso(k.revokedAt),
        revoked_reason: k.revokedReason,
        rate_limit_per_minute: k.rateLimitPerMinute,
        replaced_by:
          k.replacedById && k.replacedByPreview
            ? { id: k.replacedById, preview: k.replacedByPreview }
            : null,
      })),
    ),
    200,
  );
};
