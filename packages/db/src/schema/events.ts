import { EVENT_TYPES } from "@apf/domain";
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys.ts";
import { createdAt, id, instant } from "./columns.ts";
import { organizations } from "./organizations.ts";

export { EVENT_TYPES, type EventType } from "@apf/domain";

/**
 * The event log (a transactional outbox): one row per change an integrator hears about, written
 * in the transaction of the change. `sequence` is null until the relay numbers the row after its
 * commit (apps/api/src/modules/events/relay.ts): numbers are handed out by one relay at a time,
 * in commit order, so the numbered rows of an organization are always 1…n without a gap and a
 * reader that saw n never misses a later one. Kept 30 days.
 */
export const events = pgTable(
  "events",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The organization's 1-based event number; null until the relay numbers the row. */
    sequence: bigint("sequence", { mode: "number" }),
    /** Insertion order across the table: the relay numbers a batch in the order it was written. */
    position: bigint("position", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    /** The object after the change, as the public API shows it. Never holds a secret. */
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("events_org_sequence_key").on(t.organizationId, t.sequence),
    index("events_unsequenced_idx").on(t.position).where(sql`${t.sequence} is null`),
    index("events_created_idx").on(t.createdAt),
  ],
);

/** Each organization's last event number (the relay's counter). */
export const eventSequences = pgTable("event_sequences", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  lastSequence: bigint("last_sequence", { mode: "number" }).notNull().default(0),
});

/**
 * Event streams open now, per API key (at most 5 each, across instances): a row per stream,
 * kept alive by its heartbeats and deleted when it closes; a crashed instance's rows lapse.
 */
export const eventStreams = pgTable(
  "event_streams",
  {
    id: id(),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    openUntil: instant("open_until").notNull(),
  },
  (t) => [index("event_streams_key_idx").on(t.apiKeyId)],
);
