import { hashToken, isInvitationToken } from "@apf/auth";
import type { Queryable } from "@apf/db";
import { claimInvitation } from "@apf/db/queries/invitations";
import { type Actor, recordAudit } from "../audit/audit.ts";

/**
 * Accepts the invitation that `token` opens, for `user`, inside the caller's transaction, and
 * audits it. Undefined unless a pending invitation has this token and was issued to the user's
 * email: the token proves the inviter chose this person, the email keeps a token handed to one
 * person from being spent by another. The token itself is never stored, logged or audited.
 */
export async function acceptInvitation(
  tx: Queryable,
  token: string,
  user: { id: string; email: string },
  request: { origin: Actor; now: Date },
) {
  if (!isInvitationToken(token)) return undefined;
  const claimed = await claimInvitation(tx, {
    tokenHash: hashToken(token),
    email: user.email,
    userId: user.id,
    at: request.now,
  });
  if (!claimed) return undefined;
  await recordAudit(
    tx,
    { ...request.origin, kind: "user", id: user.id },
    {
      organizationId: claimed.organizationId,
      action: "invitation.accepted",
      target: { type: "user", id: user.id },
      details: {
        email: user.email,
        role: claimed.role,
        invitation_id: claimed.id,
        ...(claimed.joined ? {} : { already_member: true }),
      },
    },
  );
  return claimed;
}
