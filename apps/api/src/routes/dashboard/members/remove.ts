import { findMember, removeMember } from "@apf/db/queries/members";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { auditOrigin, recordAudit } from "../../../services/audit.ts";
import {
  assertKeepsAnOwner,
  assertMayAssign,
  lockForMemberChange,
} from "../../../services/owner-rules.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { roleSchema } from "./schemas.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/members/{userId}",
  operationId: "dashboardRemoveMember",
  tags: TAGS,
  summary: "Remove a member (owner, admin; only owners remove owners)",
  description: "Takes effect on the member's next request: access is checked on every request.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("userId") },
  responses: {
    200: dataResponse(
      z.object({ user_id: z.uuid(), role: roleSchema, removed: z.literal(true) }),
      "The member was removed.",
    ),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { userId } = c.req.valid("param");
  const { db } = c.var.services;
  const { organizationId } = c.var.org;
  const removed = await db.transaction(async (tx) => {
    const actorRole = await lockForMemberChange(tx, organizationId, c.var.session.userId);
    const member = await findMember(tx, organizationId, userId);
    if (!member) throw new ApiError("NOT_FOUND", "No such member in this organization.");
    assertMayAssign(actorRole, member.role, null);
    await assertKeepsAnOwner(tx, organizationId, member.role, null);
    await removeMember(tx, organizationId, userId);
    await recordAudit(tx, auditOrigin(c), {
      organizationId,
      action: "member.removed",
      target: { type: "user", id: userId },
      details: { email: member.email, role: member.role },
    });
    return member;
  });
  return c.json(ok({ user_id: removed.userId, role: removed.role, removed: true as const }), 200);
};
