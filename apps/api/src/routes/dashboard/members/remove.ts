import { findMember, removeMember } from "@apf/db/queries/members";
import { listLiveCredentialsMintedBy } from "@apf/db/queries/minted-credentials";
import { lockOrganization } from "@apf/db/queries/organizations";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import {
  assertKeepsAnOwner,
  assertMayAssign,
  lockForMemberChange,
} from "../../../modules/members/owner-rules.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { roleSchema } from "./schemas.ts";

const mintedSchema = z.object({ id: z.uuid(), name: z.string(), preview: z.string() });

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/members/{userId}",
  operationId: "dashboardRemoveMember",
  tags: TAGS,
  summary: "Remove a member, or leave (owner, admin; anyone for themselves)",
  description:
    "Owners and admins remove members (only owners remove owners); any member may remove themselves to leave. The last owner can neither be removed nor leave (409 CONFLICT). Takes effect on the member's next request: access is checked on every request. The answer lists the API keys and agents that person minted which still work, so the remover can revoke them (DELETE /api/orgs/{orgId}/api-keys/{keyId}, DELETE /api/orgs/{orgId}/agents/{agentId}); they are not revoked by this call.",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("userId") },
  responses: {
    200: dataResponse(
      z.object({
        user_id: z.uuid(),
        role: roleSchema,
        removed: z.literal(true),
        credentials: z
          .object({ api_keys: z.array(mintedSchema), agents: z.array(mintedSchema) })
          .openapi({
            description:
              "Live (not revoked, not expired) API keys and agents the removed person minted in this organization.",
          }),
      }),
      "The member was removed.",
    ),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { userId } = c.req.valid("param");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const leaving = userId.toLowerCase() === c.get("session").userId.toLowerCase();
  const result = await db.transaction(async (tx) => {
    // Leaving needs no rank over oneself; removing someone does (checked once they are read).
    const actorRole = leaving
      ? null
      : await lockForMemberChange(tx, organizationId, c.get("session").userId);
    if (leaving) await lockOrganization(tx, organizationId);
    const member = await findMember(tx, organizationId, userId);
    if (!member) throw new ApiError("NOT_FOUND", "No such member in this organization.");
    if (actorRole !== null) assertMayAssign(actorRole, member.role, null);
    await assertKeepsAnOwner(tx, organizationId, member.role, null);
    await removeMember(tx, organizationId, userId);
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: leaving ? "member.left" : "member.removed",
      target: { type: "user", id: member.userId },
      details: { email: member.email, role: member.role },
    });
    const minted = await listLiveCredentialsMintedBy(
      tx,
      organizationId,
      member.userId,
      clock.now(),
    );
    return { member, minted };
  });
  return json(
    c,
    ok({
      user_id: result.member.userId,
      role: result.member.role,
      removed: true as const,
      credentials: { api_keys: result.minted.apiKeys, agents: result.minted.agents },
    }),
    200,
  );
};
