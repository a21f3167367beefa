import { isSecretField, redactTokens } from "@apf/auth";
import type { ActorType, Queryable } from "@apf/db";
import { insertAuditEvents } from "@apf/db/queries/audit-events";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

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

/** Who acted and from where, read once from the request. */
export interface AuditOrigin {
  actorType: ActorType;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** One audited change. */
export interface AuditEntry {
  /** Null for events that belong to no organization (a failed sign-in for an unknown email). */
  organizationId: string | null;
  action: AuditAction;
  target?: { type: string; id: string | null } | null;
  details?: Record<string, unknown>;
}

const USER_AGENT_MAX = 512;

/** The request's User-Agent, cut to what the audit log and sessions store. */
export function userAgentOf(c: { req: { header(name: string): string | undefined } }) {
  return c.req.header("user-agent")?.slice(0, USER_AGENT_MAX) ?? null;
}

/** What the audit reads of a request (any route's context fits). */
export interface AuditedRequest {
  get: Context<AppEnv>["get"];
  req: { header(name: string): string | undefined };
}

/** The origin of a change made through /public/v1: the API key that made it. */
export function apiKeyAuditOrigin(c: AuditedRequest): AuditOrigin {
  return auditOrigin(c, { type: "api_key", id: c.get("apiKey")?.keyId ?? null });
}

/** The request's actor (the session's user, or `actor` when given), address and user agent. */
export function auditOrigin(
  c: AuditedRequest,
  actor?: { type: ActorType; id: string | null },
): AuditOrigin {
  const session = c.get("session");
  const resolved = actor ?? (session ? { type: "user" as const, id: session.userId } : null);
  return {
    actorType: resolved?.type ?? "anonymous",
    actorId: resolved?.id ?? null,
    ip: c.get("clientIp") ?? null,
    userAgent: userAgentOf(c),
  };
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
  origin: AuditOrigin,
  entries: AuditEntry | readonly AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  await insertAuditEvents(
    db,
    list.map((e) => ({
      organizationId: e.organizationId,
      action: e.action,
      actorType: origin.actorType,
      actorId: origin.actorId,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: scrubDetails(e.details ?? {}) as Record<string, unknown>,
    })),
  );
}
