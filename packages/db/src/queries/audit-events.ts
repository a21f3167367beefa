import { and, count, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { type ActorType, auditEvents } from "../schema/index.ts";

export interface NewAuditEvent {
  organizationId: string | null;
  action: string;
  actorType: ActorType;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Must never hold a secret. */
  details: Record<string, unknown>;
}

/**
 * Writes audit events; pass the transaction of the change they record. Each row is stamped with
 * the database's wall clock (not the transaction start), so events of one transaction keep
 * their order when listed newest first.
 */
export async function insertAuditEvents(db: Queryable, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insert(auditEvents)
    .values(events.map((e) => ({ ...e, createdAt: sql`clock_timestamp()` })));
}

/**
 * The organization's audit events, newest first, and how many match in all. `action` keeps one
 * action (`api_key.created`) or a family of them (`api_key`: every `api_key.…`).
 */
export async function listAuditEvents(
  db: Queryable,
  organizationId: string,
  page: { limit: number; offset: number; action?: string },
) {
  const conditions: SQL[] = [eq(auditEvents.organizationId, organizationId)];
  if (page.action !== undefined) {
    conditions.push(
      or(
        eq(auditEvents.action, page.action),
        sql`starts_with(${auditEvents.action}, ${`${page.action}.`})`,
      )!,
    );
  }
  const where = and(...conditions)!;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}
