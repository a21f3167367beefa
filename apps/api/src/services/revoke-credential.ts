import type { Database, Queryable } from "@apf/db";
import { ApiError } from "../errors.ts";
import { type AuditOrigin, recordAudit } from "./audit.ts";

/** A credential the organization minted, as its revoke reads it. */
interface Credential {
  id: string;
  name: string;
  preview: string;
  revokedAt: Date | null;
}

/** How to revoke one kind of credential: an API key or an agent's token. */
export interface CredentialKind {
  /** The audit target type; the audit action is `<type>.revoked`. */
  type: "api_key" | "agent";
  /** The NOT_FOUND message when the organization has no such credential. */
  notFound: string;
  /** The credential, locked until the transaction ends; undefined when none. */
  findForUpdate(db: Queryable, organizationId: string, id: string): Promise<Credential | undefined>;
  /** Sets its revoked_at to `at`. */
  revoke(
    db: Queryable,
    organizationId: string,
    id: string,
    at: Date,
  ): Promise<{ id: string; revokedAt: Date | null } | undefined>;
}

/**
 * Revokes one of the organization's credentials, in one transaction with its audit event.
 * Revoking twice is harmless: the first revoked_at is kept and no second event is recorded.
 */
export async function revokeCredential(
  db: Database,
  actor: { origin: AuditOrigin; organizationId: string; now: Date },
  kind: CredentialKind,
  id: string,
): Promise<{ id: string; revokedAt: Date }> {
  const { organizationId } = actor;
  const row = await db.transaction(async (tx) => {
    const existing = await kind.findForUpdate(tx, organizationId, id);
    if (!existing) throw new ApiError("NOT_FOUND", kind.notFound);
    if (existing.revokedAt) return existing;
    const revoked = await kind.revoke(tx, organizationId, id, actor.now);
    await recordAudit(tx, actor.origin, {
      organizationId,
      action: `${kind.type}.revoked`,
      target: { type: kind.type, id: existing.id },
      details: { name: existing.name, preview: existing.preview },
    });
    return revoked!;
  });
  return { id: row.id, revokedAt: row.revokedAt! };
}
