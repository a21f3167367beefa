import type { EventType } from "@apf/domain";
import { and, asc, eq, gt, inArray, isNotNull, max, sql } from "drizzle-orm";
import { executeNamed, type Queryable, type Transaction } from "../client.ts";
import { events } from "../schema/index.ts";

/** One event to record, in the transaction of the change it announces. */
export interface NewEvent {
  organizationId: string;
  type: EventType;
  data: Record<string, unknown>;
}

export type EventRow = typeof events.$inferSelect;
/** A numbered event, as the stream, the list and webhooks read it. */
export type NumberedEvent = Omit<EventRow, "sequence" | "position"> & { sequence: number };

/**
 * Writes events, unnumbered (the relay numbers them once committed). Stamped with the database's
 * wall clock, as audit events are.
 */
export async function insertEvents(db: Queryable, rows: readonly NewEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(events).values(rows.map((e) => ({ ...e, createdAt: sql`clock_timestamp()` })));
}

/** Key of the transaction-level advisory lock the relay holds while it numbers events. */
export const EVENT_RELAY_LOCK_KEY = 0x61_70_66_65; // "apfe"

/**
 * Numbers up to `limit` committed, unnumbered events, each organization's from its last number
 * on, in the order they were written; returns them with their numbers.
 * Call in a transaction, after `lockEventRelay`: one relay at a time, so numbers are handed out in
 * commit order and a reader never sees n+1 before n.
 */
export async function numberPendingEvents(
  tx: Transaction,
  limit: number,
): Promise<{ id: string; organizationId: string; sequence: number }[]> {
  const result = await executeNamed<{ id: string; organization_id: string; sequence: number }>(
    tx,
    "apf_number_events",
    sql`
    with pending as (
      select id, organization_id, position from events
      where sequence is null order by position limit ${limit}
    ), numbered as (
      select id, organization_id,
        row_number() over (partition by organization_id order by position) as n,
        count(*) over (partition by organization_id) as cnt
      from pending
    ), counts as (
      select organization_id, max(cnt) as cnt from numbered group by organization_id
    ), bumped as (
      insert into event_sequences as s (organization_id, last_sequence)
      select organization_id, cnt from counts
      on conflict (organization_id) do update set last_sequence = s.last_sequence + excluded.last_sequence
      returning s.organization_id, s.last_sequence
    ), updated as (
      update events e set sequence = b.last_sequence - nb.cnt + nb.n
      from numbered nb join bumped b on b.organization_id = nb.organization_id
      where e.id = nb.id
      returning e.id, e.organization_id, e.sequence
    )
    select id, organization_id, sequence::float8 as sequence from updated order by sequence`,
  );
  return result.rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    sequence: Number(r.sequence),
  }));
}

/** Waits for the relay lock (transaction-level: released at commit or rollback). */
export async function lockEventRelay(tx: Transaction): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_RELAY_LOCK_KEY})`);
}

/** NOTIFYs `payloads` on `channel` at this transaction's commit. */
export async function notifyAtCommit(
  tx: Transaction,
  channel: string,
  payloads: readonly string[],
): Promise<void> {
  if (payloads.length === 0) return;
  await tx.execute(
    sql`select pg_notify(${channel}, p) from json_array_elements_text(${JSON.stringify(payloads)}::json) p`,
  );
}

/** Whether any committed event still waits for its number. */
export async function hasPendingEvents(db: Queryable): Promise<boolean> {
  const result = await db.execute(
    sql`select exists (select 1 from events where sequence is null) as pending`,
  );
  return Boolean((result as { rows: { pending: boolean }[] }).rows[0]?.pending);
}

const numberedColumns = {
  id: events.id,
  organizationId: events.organizationId,
  sequence: sql<number>`${events.sequence}::float8`.mapWith(Number),
  type: events.type,
  data: events.data,
  createdAt: events.createdAt,
};

/**
 * The organization's numbered events after `after`, oldest first (at most `limit`), of `types`
 * when given.
 */
export async function listEvents(
  db: Queryable,
  organizationId: string,
  page: { after: number; limit: number; types?: readonly EventType[] | undefined },
): Promise<NumberedEvent[]> {
  return db
    .select(numberedColumns)
    .from(events)
    .where(
      and(
        eq(events.organizationId, organizationId),
        gt(events.sequence, page.after),
        page.types && page.types.length > 0 ? inArray(events.type, [...page.types]) : undefined,
      ),
    )
    .orderBy(asc(events.sequence))
    .limit(page.limit);
}

/** The organization's last numbered event (0 when none). */
export async function lastEventSequence(db: Queryable, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ last: max(events.sequence) })
    .from(events)
    .where(and(eq(events.organizationId, organizationId), isNotNull(events.sequence)));
  return Number(row?.last ?? 0);
}

/** Deletes up to `limit` events older than `retentionMs` by the database's clock; returns how many. */
export async function deleteExpiredEvents(
  db: Queryable,
  retentionMs: number,
  limit: number,
): Promise<number> {
  const result = await db.execute(sql`
    with gone as (
      delete from events where id in (
        select id from events
        where created_at < now() - make_interval(secs => ${retentionMs / 1000})
        limit ${limit}
      ) returning 1
    ) select count(*)::int as n from gone`);
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

/**
 * Opens a stream slot of the API key when fewer than `max` are open (by the database's clock,
 * live for `ttlS`); its id, or null when the key has `max` open already. Takes a per-key lock so
 * that concurrent opens on any instance count each other.
 */
export async function takeStreamSlot(
  tx: Transaction,
  apiKeyId: string,
  max: number,
  ttlS: number,
): Promise<string | null> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`apf:event-streams:${apiKeyId}`}, 0))`,
  );
  await tx.execute(
    sql`delete from event_streams where api_key_id = ${apiKeyId}::uuid and open_until <= now()`,
  );
  const result = await tx.execute(sql`
    insert into event_streams (api_key_id, open_until)
    select ${apiKeyId}::uuid, now() + make_interval(secs => ${ttlS})
    where (select count(*) from event_streams where api_key_id = ${apiKeyId}::uuid) < ${max}
    returning id`);
  return (result as { rows: { id: string }[] }).rows[0]?.id ?? null;
}

/** Keeps a stream slot open for another `ttlS` (at each heartbeat). */
export async function keepStreamSlot(db: Queryable, slotId: string, ttlS: number): Promise<void> {
  await db.execute(
    sql`update event_streams set open_until = now() + make_interval(secs => ${ttlS}) where id = ${slotId}::uuid`,
  );
}

/** Frees a stream slot (its stream closed). */
export async function releaseStreamSlot(db: Queryable, slotId: string): Promise<void> {
  await db.execute(sql`delete from event_streams where id = ${slotId}::uuid`);
}

/** Whether the API key is still good at `now` (not revoked, not expired): streams re-check it. */
export async function isApiKeyLive(db: Queryable, apiKeyId: string, now: Date): Promise<boolean> {
  const result = await db.execute(sql`
    select 1 from api_keys where id = ${apiKeyId}::uuid and revoked_at is null
      and (expires_at is null or expires_at > ${now.toISOString()}::timestamptz)`);
  return (result as { rows: unknown[] }).rows.length > 0;
}

/** Whether the session is still good at `now` and its user still a member of the organization. */
export async function isMemberSessionLive(
  db: Queryable,
  session: { sessionId: string; userId: string },
  organizationId: string,
  now: Date,
): Promise<boolean> {
  const result = await db.execute(sql`
    select 1 from sessions s
    join memberships m on m.user_id = s.user_id and m.organization_id = ${organizationId}::uuid
    where s.id = ${session.sessionId}::uuid and s.user_id = ${session.userId}::uuid
      and s.revoked_at is null and s.expires_at > ${now.toISOString()}::timestamptz`);
  return (result as { rows: unknown[] }).rows.length > 0;
}
