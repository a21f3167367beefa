import { deletePendingInvitation } from "@apf/db/queries/invitations";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { assertMayAssign, lockForMemberChange } from "../../../modules/members/owner-rules.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/invitations/{invitationId}",
  operationId: "dashboardWithdrawInvitation",
  tags: TAGS,
  summary: "Withdraw a pending invitation (owner, admin; only owners withdraw owner invitations)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("invitationId") },
  responses: {
    200: dataResponse(
      z.object({ id: z.uuid(), withdrawn: z.literal(true) }),
      "The invitation was withdrawn.",
    ),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { invitationId } = c.req.valid("param");
  const { db } = c.get("services");
  const { organizationId } = c.get("org");
  await db.transaction(async (tx) => {
    const actorRole = await lockForMemberChange(tx, organizationId, c.get("session").userId);
    const invitation = await deletePendingInvitation(tx, organizationId, invitationId);
    if (!invitation) throw new ApiError("NOT_FOUND", "No such pending invitation.");
    // Thrown inside the transaction, so the delete rolls back.
    assertMayAssign(actorRole, invitation.role, null);
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "invitation.withdrawn",
      target: { type: "invitation", id: invitation.id },
      details: { email: invitation.email, role: invitation.role },
    });
  });
  return json(c, ok({ id: invitationId, withdrawn: true as const }), 200);
};
