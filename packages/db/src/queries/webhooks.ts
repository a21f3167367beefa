import { WEBHOOK_OPT_IN_EVENT_TYPES } from "@apf/domain";
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { webhookDeliveries, webhookEndpoints } from "../schema/index.ts";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** The organization's endpoints, oldest first. */
export async function listWebhookEndpoints(db: Queryable, organizationId: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, organizationId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

/** One endpoint of the organization, or undefined. */
export async function findWebhookEndpoint(db: Queryable, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), eq(webhookEndpoints.id, id)))
    .limit(1);
  return row;
}

export interface NewWebhookEndpoint {
  organizationId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  secret: string;
}

export async function insertWebhookEndpoint(db: Queryable, input: NewWebhookEndpoint) {
  const [row] = await db.insert(webhookEndpoints).values(input).returning();
  return row!;
}

/** Changes an endpoint's settings; undefined when the organization has no such endpoint. */
export async function updateWebhookEndpoint(
  db: Queryable,
  organizationId: string,
  id: string,
  patch: {
    url?: string;
    description?: string | null;
    eventTypes?: string[];
    enabled?: boolean;
  },
  at: Date,
) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      ...patch,
      // Enabled again by a person: failures start counting afresh.
      ...(patch.enabled === true ? { disabledReason: null, failingSince: null } : {}),
      ...(patch.enabled === false ? { disabledReason: "disabled by a person" } : {}),
      updatedAt: at,
    })
    .where(and(eq(webhookEndpoints.organizationId, organizationId), eq(webhookEndpoints.id, id)))
    .returning();
  return row;
}

export async function deleteWebhookEndpoint(db: Queryable, organizationId: string, id: string) {
  const [row] = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  return row;
}

/** A new secret; the current one keeps signing until `previousUntil`. */
export async function rollWebhookSecret(
  db: Queryable,
  organizationId: string,
  id: string,
  secret: string,
  previousUntil: Date,
) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt: previousUntil,
      secret,
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.organizationId, organizationId), eq(webhookEndpoints.id, id)))
    .returning();
  return row;
}

const OPT_IN = sql.raw(
  `array[${WEBHOOK_OPT_IN_EVENT_TYPES.map((t) => `'${t}'`).join(",")}]::text[]`,
);

/**
 * The deliveries of numbered events to every enabled endpoint of their organization that takes
 * their type (an endpoint without types takes all but the opt-in ones). Returns their ids.
 */
export async function insertEventDeliveries(
  db: Queryable,
  eventIds: readonly string[],
): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const result = await db.execute(sql`
    insert into webhook_deliveries
      (organization_id, endpoint_id, message_id, event_type, sequence, body, next_attempt_at)
    select e.organization_id, w.id, 'evt_' || replace(e.id::text, '-', ''), e.type, e.sequence,
      json_build_object(
        'type', e.type,
        'timestamp', to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'sequence', e.sequence,
        'data', e.data
      )::text,
      now()
    from events e
    join webhook_endpoints w on w.organization_id = e.organization_id and w.enabled
      and (case when cardinality(w.event_types) = 0 then e.type <> all(${OPT_IN})
           else e.type = any(w.event_types) end)
    where e.id = any(${`{${eventIds.join(",")}}`}::uuid[])
    order by e.sequence
    returning id`);
  return (result as { rows: { id: string }[] }).rows.map((r) => r.id);
}

/** A delivery of a message that is not an event of the log (a test ping). */
export async function insertDelivery(
  db: Queryable,
  input: {
    organizationId: string;
    endpointId: string;
    messageId: string;
    eventType: string;
    sequence: number | null;
    body: string;
  },
) {
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ ...input, nextAttemptAt: sql`now()` })
    .returning();
  return row!;
}

/** Deliveries with their endpoints, for attempts (one statement for many tasks); any order. */
export async function findDeliveriesForAttempt(db: Queryable, deliveryIds: readonly string[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(inArray(webhookDeliveries.id, [...deliveryIds]));
}

/** A 2xx answer to a delivery whose endpoint was healthy: nothing but the delivery changes. */
export interface DeliveredAttempt {
  deliveryId: string;
  previousAttempts: number;
  httpStatus: number;
  durationMs: number;
  response: string | null;
}

/**
 * Records many delivered attempts in one statement, each a compare-and-set on its attempt count
 * (a stale task records nothing); the ids recorded. Each delivery once per call.
 */
export async function recordDeliveredAttempts(
  db: Queryable,
  attempts: readonly DeliveredAttempt[],
): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  const values = JSON.stringify(
    attempts.map((a) => ({
      id: a.deliveryId,
      previous: a.previousAttempts,
      status: a.httpStatus,
      duration: a.durationMs,
      response: a.response,
    })),
  );
  const result = await db.execute(sql`
    update ${webhookDeliveries} d set
      attempts = v.previous + 1, status = 'delivered', next_attempt_at = null,
      last_attempt_at = now(), last_status = v.status, last_duration_ms = v.duration,
      last_response = v.response, last_error = null, delivered_at = now()
    from jsonb_to_recordset(${values}::jsonb) as v(id uuid, previous int, status int,
      duration int, response text)
    where d.id = v.id and d.attempts = v.previous
    returning d.id`);
  const rows = (result as unknown as { rows: { id: string }[] }).rows;
  return new Set(rows.map((r) => r.id));
}

/** What one attempt came to. */
export interface AttemptRecord {
  attempts: number;
  status: "pending" | "delivered" | "failed";
  /** Seconds from now to the next attempt (pending only). */
  retryInS: number | null;
  httpStatus: number | null;
  durationMs: number;
  response: string | null;
  error: string | null;
}

/**
 * Records an attempt (compare-and-set on the attempt count: a stale task records nothing).
 * Returns the delivery, or undefined when another attempt was recorded meanwhile.
 */
export async function recordAttempt(
  db: Queryable,
  deliveryId: string,
  previousAttempts: number,
  a: AttemptRecord,
) {
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      attempts: a.attempts,
      status: a.status,
      nextAttemptAt: a.retryInS === null ? null : sql`now() + make_interval(secs => ${a.retryInS})`,
      lastAttemptAt: sql`now()`,
      lastStatus: a.httpStatus,
      lastDurationMs: a.durationMs,
      lastResponse: a.response,
      lastError: a.error,
      ...(a.status === "delivered" ? { deliveredAt: sql`now()` } : {}),
    })
    .where(
      and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, previousAttempts)),
    )
    .returning();
  return row;
}

/** A pending delivery whose endpoint was disabled meanwhile: it fails without an attempt. */
export async function failDelivery(db: Queryable, deliveryId: string, error: string) {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", nextAttemptAt: null, lastError: error })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")));
}

/** The endpoint answered 2xx: failures stop counting. */
export async function markEndpointHealthy(db: Queryable, endpointId: string) {
  await db
    .update(webhookEndpoints)
    .set({ failingSince: null })
    .where(
      and(eq(webhookEndpoints.id, endpointId), sql`${webhookEndpoints.failingSince} is not null`),
    );
}

/**
 * Notes a failed attempt; returns the time failures began (now, when this is the first since a
 * success).
 */
export async function markEndpointFailing(db: Queryable, endpointId: string): Promise<Date> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())` })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({ since: webhookEndpoints.failingSince });
  return row?.since ?? new Date();
}

/** Disables an enabled endpoint (compare-and-set); the row when this call disabled it. */
export async function disableWebhookEndpoint(db: Queryable, endpointId: string, reason: string) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
    .returning();
  return row;
}

/** The endpoint's most recent deliveries, newest first. */
export async function listDeliveries(
  db: Queryable,
  organizationId: string,
  endpointId: string,
  limit: number,
) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.organizationId, organizationId),
        eq(webhookDeliveries.endpointId, endpointId),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

export async function findDelivery(
  db: Queryable,
  organizationId: string,
  endpointId: string,
  deliveryId: string,
) {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.organizationId, organizationId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.id, deliveryId),
      ),
    )
    .limit(1);
  return row;
}

/** Pending deliveries due now (the in-process queue's poll), oldest first. */
export async function dueDeliveries(db: Queryable, limit: number) {
  return db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(eq(webhookDeliveries.status, "pending"), lt(webhookDeliveries.nextAttemptAt, sql`now()`)),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit);
}
