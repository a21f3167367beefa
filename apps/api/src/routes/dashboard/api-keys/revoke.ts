import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { API_KEY_CREDENTIAL, revokeCredential } from "../../../modules/keys/revoke-credential.ts";
import { dataResponse, errors, iso, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { revokedSchema } from "../revoked.ts";

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
    200: dataResponse(revokedSchema, "The key is revoked."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { keyId } = c.req.valid("param");
  const key = await revokeCredential(
    c.get("services"),
    {
      origin: c.get("actor"),
      organizationId: c.get("org").organizationId,
      now: c.get("services").clock.now(),
    },
    API_KEY_CREDENTIAL,
    keyId,
  );
  return json(c, ok({ id: key.id, revoked_at: iso(key.revokedAt) }), 200);
};
