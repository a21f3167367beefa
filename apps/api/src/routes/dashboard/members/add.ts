import { mintInvitationToken } from "@apf/auth";
import { findUserByEmail } from "@apf/db/queries";
import { findPendingInvitation, issueInvitation } from "@apf/db/queries/invitations";
import { findMembership } from "@apf/db/queries/members";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { assertMayAssign, lockForMemberChange } from "../../../modules/members/owner-rules.ts";
import {
  dataResponse,
  email,
  errors,
  jsonBody,
  ok,
  SESSION_SECURITY,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { issuedInvitationSchema, roleSchema, toInvitation } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/members",
  operationId: "dashboardAddMember",
  tags: TAGS,
  summary: "Invite an email to the organization (owner, admin)",
  description:
    "Nobody joins without accepting: a pending invitation is always recorded (`status: invited`), whether or not the email has an account, and the answer is the same either way, so it reveals nothing about which emails have accounts. It carries a single-use `accept_token`: give this to the invitee; it is shown only once. The invitation expires 7 days after it is issued (`expires_at`); an expired token is refused like an unknown one. The invitee signs up with it as `invitation_token` (or, once signed in with that email, sends it to POST /api/invitations/accept); the email alone claims nothing. Inviting a pending email again issues a new token and the old one stops working. Only owners may invite owners, or replace an owner invitation. 409 when that email is already a member.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParams,
    body: jsonBody(z.object({ email, role: roleSchema }).strict()),
  },
  responses: {
    201: dataResponse(
      z.object({
        status: z.literal("invited"),
        member: z.null().openapi({ description: "Always null: nobody joins without accepting." }),
        invitation: issuedInvitationSchema,
      }),
      "The pending invitation with its token (shown only here).",
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const result = await db.transaction(async (tx) => {
    const actorRole = await lockForMemberChange(tx, organizationId, c.get("session").userId);
    assertMayAssign(actorRole, null, body.role);
    // Members are visible to the organization already, so saying so reveals no account.
    const user = await findUserByEmail(tx, body.email);
    if (user && (await findMembership(tx, organizationId, user.id))) {
      throw new ApiError("CONFLICT", "This email is already a member.");
    }
    // Re-issuing replaces the pending invitation, so it is held to the rule for withdrawing it.
    const pending = await findPendingInvitation(tx, organizationId, body.email);
    if (pending) assertMayAssign(actorRole, pending.role, body.role);
    const { token, hash } = mintInvitationToken();
    const invitation = await issueInvitation(tx, {
      organizationId,
      email: body.email,
      role: body.role,
      invitedBy: c.get("session").userId,
      tokenHash: hash,
      at: clock.now(),
    });
    await recordAudit(tx, c.get("actor"), {
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
  });
  return json(c, ok(result), 201);
};
