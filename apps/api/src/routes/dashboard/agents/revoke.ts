import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { AGENT_CREDENTIAL, revokeCredential } from "../../../modules/keys/revoke-credential.ts";
import { dataResponse, errors, iso, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { revokedSchema } from "../revoked.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/agents/{agentId}",
  operationId: "dashboardRevokeAgent",
  tags: TAGS,
  summary: "Revoke an agent's token, immediately (owner, admin)",
  description: "Revoking twice is harmless: the first revoked_at is kept.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("agentId") },
  responses: {
    200: dataResponse(revokedSchema, "The agent is revoked."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { agentId } = c.req.valid("param");
  const agent = await revokeCredential(
    c.get("services"),
    {
      origin: c.get("actor"),
      organizationId: c.get("org").organizationId,
      now: c.get("services").clock.now(),
    },
    AGENT_CREDENTIAL,
    agentId,
  );
  return json(c, ok({ id: agent.id, revoked_at: iso(agent.revokedAt) }), 200);
};
