import type { Queryable } from "@apf/db";
import { DomainError } from "../../domain-error.ts";
import { type ChangeEvent, recordChange } from "../events/record-change.ts";
import type { Actor, AuditAction } from "./audit.ts";

/** The audit event of a PATCH. */
export interface UpdateEvent {
  action: Extract<AuditAction, `${string}.updated`>;
  target: { type: string; id: string };
  /** The validated PATCH body, recorded as the event's `details.changes`. */
  changes: object;
  /** The NOT_FOUND message when the update found no row. */
  notFound: string;
  /** The change's events (read after it, in its transaction), recorded with the audit event. */
  events?: readonly ChangeEvent[];
}

/**
 * The row a PATCH updated in `organizationId`, once its audit event (and its events, if any) are
 * recorded in the same transaction `tx`. NOT_FOUND (and no event) when the update found no row.
 */
export async function recordUpdate<T>(
  tx: Queryable,
  actor: { origin: Actor; organizationId: string },
  row: T | undefined,
  event: UpdateEvent,
): Promise<T> {
  if (!row) throw new DomainError("NOT_FOUND", event.notFound);
  await recordChange(tx, actor.origin, {
    organizationId: actor.organizationId,
    audit: { action: event.action, target: event.target, details: { changes: event.changes } },
    events: event.events,
  });
  return row;
}
