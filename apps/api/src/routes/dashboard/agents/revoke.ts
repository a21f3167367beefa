import { findAgentForUpdate } from "@apf/db/queries/agent-admin";
import { revokeAgent } from "@apf/db/queries/agents";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { auditOrigin, recordAudit } from "../../../services/audit.ts";
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
  path: "/orgs/{orgId}/agents/{agentId}",
  operationId: "dashboardRevokeAgent",
  tags: TAGS,
  summary: "Revoke an agent's token, immediately (owner, admin)",
  description: "Revoking twice is harmless: the first revoked_at is kept.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("agentId") },
  responses: {
    200: dataResponse(z.object({ id: z.uuid(), revoked_at: timestamp }), "The agent is revoked."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { agentId } = c.req.valid("param");
  const { db, clock } = c.var.services;
  const { organizationId } = c.var.org;
  const agent = await db.transaction(async (tx) => {
    const existing = await findAgentForUpdate(tx, organizationId, agentId);
    if (!existing) throw new ApiError("NOT_FOUND", "No such agent in this organization.");
    if (existing.revokedAt) return existing;
    const revoked = await revokeAgent(tx, organizationId, agentId, clock.now());
    await recordAudit(tx, auditOrigin(c), {
      organizationId,
      action: "agent.revoked",
      target: { type: "agent", id: existing.id },
      details: { name: existing.name, preview: existing.preview },
    });
    return revoked!;
  });
  return c.json(ok({ id: agent.id, revoked_at: iso(agent.revokedAt!) }), 200);
};
