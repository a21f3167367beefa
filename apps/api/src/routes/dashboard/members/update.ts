import { findMember, setMemberRole } from "@apf/db/queries/members";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import {
  assertKeepsAnOwner,
  assertMayAssign,
  lockForMemberChange,
} from "../../../modules/members/owner-rules.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberSchema, roleSchema, toMember } from "./schemas.ts";

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/members/{userId}",
  operationId: "dashboardUpdateMember",
  tags: TAGS,
  summary: "Change a member's role (owner, admin; only owners grant or revoke owner)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParamsWith("userId"),
    body: jsonBody(z.object({ role: roleSchema }).strict()),
  },
  responses: {
    200: dataResponse(memberSchema, "The member with the new role."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { userId } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const { db } = c.get("services");
  const { organizationId } = c.get("org");
  const member = await db.transaction(async (tx) => {
    const actorRole = await lockForMemberChange(tx, organizationId, c.get("session").userId);
    const before = await findMember(tx, organizationId, userId);
    if (!before) throw new ApiError("NOT_FOUND", "No such member in this organization.");
    assertMayAssign(actorRole, before.role, role);
    if (before.role === role) return before;
    await assertKeepsAnOwner(tx, organizationId, before.role, role);
    await setMemberRole(tx, organizationId, userId, role);
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "member.role_changed",
      target: { type: "user", id: userId },
      details: { email: before.email, from: before.role, to: role },
    });
    return { ...before, role };
  });
  return json(c, ok(toMember(member)), 200);
};
