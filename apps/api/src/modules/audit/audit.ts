import { isSecretField, redactTokens } from "@apf/auth";
import type { ActorType, Queryable } from "@apf/db";
import { insertAuditEvents, type NewAuditEvent } from "@apf/db/queries/audit-events";

/** Everything the audit log records. */
export type AuditAction =
  | "auth.signup"
  | "auth.login_succeeded"
  | "auth.login_failed"
  | "auth.password_changed"
  | "auth.sessions_ended"
  | "organization.updated"
  | "member.added"
  | "member.invited"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "invitation.accepted"
  | "invitation.withdrawn"
  | "api_key.created"
  | "api_key.revoked"
  | "api_key.rolled"
  | "agent.created"
  | "agent.revoked"
  | "key.revoked_leaked"
  | "printer.updated"
  | "printer.control"
  | "printer.control_result"
  | "sku.created"
  | "sku.updated"
  | "sku.stock_adjusted"
  | "filament.created"
  | "filament.updated"
  | "printer.maintenance_changed"
  | "inventory.threshold_changed"
  | "sku.parts_changed"
  | "sku.kits_assembled"
  | "job.queued"
  | "job.updated"
  | "job.removed"
  | "job.cancelled"
  | "job.retried"
  | "job.started"
  | "task.completed"
  | "file.created"
  | "file.deleted"
  | "webhook_endpoint.created"
  | "webhook_endpoint.updated"
  | "webhook_endpoint.deleted"
  | "webhook_endpoint.secret_rolled"
  | "webhook_endpoint.disabled"
  | "webhook_endpoint.tested"
  | "webhook_delivery.redelivered";

/**
 * Who acts, and from where: set once per request by the surface's auth middleware (an API key,
 * a member's session, an agent), or made by the system's own work; audit events record it.
 */
export interface Actor {
  /**
   * The organization the actor acts in: the key's or the agent's; for a member, the organization
   * of the path (null outside one, e.g. changing their own password).
   */
  organizationId: string | null;
  kind: ActorType;
  /** The key's, the user's or the agent's id (null for the system and the anonymous). */
  id: string | null;
  /** The client address (null for the system's own work). */
  address: string | null;
  userAgent: string | null;
}

/** An actor that acts in one organization (a key, an agent, a member on an organization's path). */
export type OrgActor = Actor & { organizationId: string };

/** The system's own work (sweeps, expiries): no one asked, from nowhere. */
export const SYSTEM_ACTOR: Actor = {
  organizationId: null,
  kind: "system",
  id: null,
  address: null,
  userAgent: null,
};

/** One audited change. */
export interface AuditEntry {
  /** Null for events that belong to no organization (a failed sign-in for an unknown email). */
  organizationId: string | null;
  action: AuditAction;
  target?: { type: string; id: string | null } | null;
  details?: Record<string, unknown>;
}

// More of a token body than a preview shows (prefix + 4 hex + "…"): worth redacting.
const TOKEN_LIKE = /apf_(?:(?:live|agent|sess)_[0-9a-f]{5}|inv_[A-Za-z0-9_-]{5})/i;

/** A copy of `value` with secret-named fields dropped and token-looking strings redacted. */
export function scrubDetails(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return TOKEN_LIKE.test(value) ? redactTokens(value) : value;
  if (value === null || typeof value !== "object" || depth > 5) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => scrubDetails(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !isSecretField(k))
      .map(([k, v]) => [k, scrubDetails(v, depth + 1)]),
  );
}

/**
 * Writes audit events. Pass the transaction of the change they record, so that the change and
 * its record commit (or roll back) together. Details never carry secrets: they are scrubbed here
 * as a second line of defence behind the callers, who only pass ids, names and previews.
 */
export async function recordAudit(
  db: Queryable,
  actor: Actor,
  entries: AuditEntry | readonly AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  await insertAuditEvents(
    db,
    list.map((e) => auditRow(actor, e)),
  );
}

/** The stored row of one audit event (details scrubbed), for a statement that writes it itself. */
export function auditRow(actor: Actor, e: AuditEntry): NewAuditEvent {
  return {
    organizationId: e.organizationId,
    action: e.action,
    actorType: actor.kind,
    actorId: actor.id,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
    ip: actor.address,
    userAgent: actor.userAgent,
    details: scrubDetails(e.details ?? {}) as Record<string, unknown>,
  };
}
