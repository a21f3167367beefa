import type { Queryable } from "@apf/db";
import { insertEvents } from "@apf/db/queries/events";
import type { EventType } from "@apf/domain";
import { type Actor, type AuditEntry, recordAudit } from "../audit/audit.ts";

/** One event of a change: its type and the object after the change, as the public API shows it. */
export interface ChangeEvent {
  type: EventType;
  data: Record<string, unknown>;
}

/** A change to record: its audit entry (when people audit it) and its events. */
export interface Change {
  organizationId: string;
  audit?: Omit<AuditEntry, "organizationId">;
  events?: readonly ChangeEvent[];
}

/**
 * Records changes: their audit entries (by `actor`, who made them) and their events,
 * in `tx`, the transaction of the changes themselves, so the audit log and the event log hold a
 * change exactly when it committed. Events are numbered after the commit by the relay (relay.ts),
 * which also wakes every instance's streams; webhooks read the same rows.
 */
export async function recordChange(
  tx: Queryable,
  actor: Actor,
  changes: Change | readonly Change[],
): Promise<void> {
  const list: readonly Change[] = Array.isArray(changes) ? changes : [changes as Change];
  const audits = list.flatMap((c) =>
    c.audit ? [{ ...c.audit, organizationId: c.organizationId }] : [],
  );
  if (audits.length > 0) await recordAudit(tx, actor, audits);
  await insertEvents(
    tx,
    list.flatMap((c) =>
      (c.events ?? []).map((e) => ({
        organizationId: c.organizationId,
        type: e.type,
        data: e.data,
      })),
    ),
  );
}
