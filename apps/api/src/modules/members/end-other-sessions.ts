import type { Queryable } from "@apf/db";
import { listUserMemberships } from "@apf/db/queries/members";
import { revokeOtherSessions } from "@apf/db/queries/sessions";
import { type Actor, type AuditAction, recordAudit } from "../audit/audit.ts";

/**
 * Ends every other session of the signed-in user and audits `action` in each organization they
 * belong to (or without one when they belong to none). Returns how many sessions it ended.
 */
export async function endOtherSessions(
  tx: Queryable,
  principal: { userId: string; sessionId: string; email: string },
  action: AuditAction,
  request: { origin: Actor; now: Date },
): Promise<number> {
  const ended = await revokeOtherSessions(tx, principal.userId, principal.sessionId, request.now);
  const orgIds = (await listUserMemberships(tx, principal.userId)).map((m) => m.organization.id);
  const orgs = orgIds.length > 0 ? orgIds : [null];
  await recordAudit(
    tx,
    request.origin,
    orgs.map((organizationId) => ({
      organizationId,
      action,
      target: { type: "user", id: principal.userId },
      details: { email: principal.email, sessions_ended: ended },
    })),
  );
  return ended;
}
