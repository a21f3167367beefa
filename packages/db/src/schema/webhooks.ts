import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** Where an organization's events are POSTed (Standard Webhooks). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** The event types sent; empty: every type but the opt-in ones (printer.updated). */
    eventTypes: text("event_types").array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** Why it was disabled: by a person, `410 Gone`, or failing deliveries for 5 days. */
    disabledReason: text("disabled_reason"),
    /**
     * The signing secret, `whsec_` + base64 of 32 random bytes: shown once at creation. Stored as
     * it is (signing needs it); never returned by a read.
     */
    secret: text("secret").notNull(),
    /** The secret before the last roll, still signing until `previousSecretExpiresAt`. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: instant("previous_secret_expires_at"),
    /** First failed delivery since the last success: after 5 days of failures it is disabled. */
    failingSince: instant("failing_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.organizationId, t.createdAt)],
);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event (or test ping) for one endpoint, with its last attempt. Each attempt is a task on the
 * queue (graphile-worker on Postgres), added in the transaction that created or retried it.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** `webhook-id`: the event's id (`evt_…`), the receiver's idempotency key. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The event's sequence; null for a ping. */
    sequence: integer("sequence"),
    /** The exact body sent (and signed). */
    body: text("body").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt runs (pending only). */
    nextAttemptAt: instant("next_attempt_at"),
    lastAttemptAt: instant("last_attempt_at"),
    /** The receiver's HTTP status at the last attempt; null when none came (timeout, refused). */
    lastStatus: integer("last_status"),
    lastDurationMs: integer("last_duration_ms"),
    /** The first 1 KiB of the receiver's answer. */
    lastResponse: text("last_response"),
    lastError: text("last_error"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc()),
    index("webhook_deliveries_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);
