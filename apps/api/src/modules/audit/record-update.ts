import type { Queryable } from "@apf/db";
import { DomainError } from "../../domain-error.ts";
import { type Actor, type AuditAction, recordAudit } from "./audit.ts";

/** The audit event of a PATCH. */
export interface UpdateEvent {
  action: Extract<AuditAction, `${string}.updated`>;
  target: { type: string; id: string };
  /** The validated PATCH body, recorded as the event's `details.changes`. */
  changes: object;
  /** The NOT_FOUND message when the update found no row. */
  notFound: string;
}

/**
 * The row a PATCH updated in `organizationId`, once its audit event is recorded in the same
 * transaction `tx`. NOT_FOUND (and no event) when the update found no row.
 */
export async function recordUpdate<T>(
  tx: Queryable,
  actor: { origin: Actor; organizationId: string },
  row: T | undefined,
  event: UpdateEvent,
): Promise<T> {
  if (!row) throw new DomainError("NOT_FOUND", event.notFound);
  await recordAudit(tx, actor.origin, {
    organizationId: actor.organizationId,
    action: event.action,
    target: event.target,
    details: { changes: event.changes },
  });
  return row;
}
