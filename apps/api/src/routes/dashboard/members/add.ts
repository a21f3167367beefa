import { mintInvitationToken } from "@apf/auth";
import { findUserByEmail } from "@apf/db/queries";
import { findPendingInvitation, issueInvitation } from "@apf/db/queries/invitations";
import { addMember, findMember } from "@apf/db/queries/members";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import {
  dataResponse,
  email,
  errors,
  jsonBody,
  ok,
  SESSION_SECURITY,
} from "../../../openapi/kit.ts";
import { auditOrigin, recordAudit } from "../../../services/audit.ts";
import { assertMayAssign, lockForMemberChange } from "../../../services/owner-rules.ts";
import { orgParams, TAGS } from "../params.ts";
import {
  issuedInvitationSchema,
  memberSchema,
  roleSchema,
  toInvitation,
  toMember,
} from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/members",
  operationId: "dashboardAddMember",
  tags: TAGS,
  summary: "Add a user by email, or invite an email without an account (owner, admin)",
  description:
    "An existing account becomes a member at once (`status: added`). For an email without an account a pending invitation is recorded (`status: invited`) with a single-use `accept_token`: give this to the invitee; it is shown only once. The invitee signs up with it as `invitation_token` (or, once signed in with that email, sends it to POST /api/invitations/accept); the email alone claims nothing. Inviting a pending email again issues a new token and the old one stops working. Only owners may add owners, or replace an owner invitation.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParams,
    body: jsonBody(z.object({ email, role: roleSchema }).strict()),
  },
  responses: {
    201: dataResponse(
      z.object({
        status: z.enum(["added", "invited"]),
        member: memberSchema.nullable(),
        invitation: issuedInvitationSchema.nullable(),
      }),
      "The new member, or the pending invitation with its token (shown only here).",
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db } = c.var.services;
  const { organizationId } = c.var.org;
  const result = await db.transaction(async (tx) => {
    const actorRole = await lockForMemberChange(tx, organizationId, c.var.session.userId);
    assertMayAssign(actorRole, null, body.role);
    const user = await findUserByEmail(tx, body.email);
    const audit = auditOrigin(c);
    if (!user) {
      // Re-issuing replaces the pending invitation, so it is held to the rule for withdrawing it.
      const pending = await findPendingInvitation(tx, organizationId, body.email);
      if (pending) assertMayAssign(actorRole, pending.role, body.role);
      const { token, hash } = mintInvitationToken();
      const invitation = await issueInvitation(tx, {
        organizationId,
        email: body.email,
        role: body.role,
        invitedBy: c.var.session.userId,
        tokenHash: hash,
      });
      await recordAudit(tx, audit, {
        organizationId,
        action: "member.invited",
        target: { type: "invitation", id: invitation.id },
        details: { email: body.email, role: body.role, ...(pending ? { reissued: true } : {}) },
      });
      return {
        status: "invited" as const,
        member: null,
        invitation: { ...toInvitation(invitation), accept_token: token },
      };
    }
    const added = await addMember(tx, {
      organizationId,
      userId: user.id,
      role: body.role,
    });
    if (!added) throw new ApiError("CONFLICT", "This user is already a member.");
    await recordAudit(tx, audit, {
      organizationId,
      action: "member.added",
      target: { type: "user", id: user.id },
      details: { email: user.email, role: body.role },
    });
    const member = await findMember(tx, organizationId, user.id);
    return { status: "added" as const, member: toMember(member!), invitation: null };
  });
  return c.json(ok(result), 201);
};
