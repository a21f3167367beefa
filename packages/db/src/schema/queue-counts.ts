import { integer, pgTable, primaryKey, smallint, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

/** Counters per organization and priority: a transaction bumps the one of slot (its id % SLOTS). */
export const QUEUE_COUNT_SLOTS = 64;

/**
 * How many jobs each organization has queued at each priority, as a sum of counters kept by
 * Postgres triggers on every insert, update or delete of its jobs (migration
 * queue_indexes_and_counts), so no write path can forget them. Concurrent writers (a burst of
 * enqueues) bump different rows instead of queueing on one row's lock. A queued job's place near
 * the bottom of the queue is read from them (queries/print-queue.ts, queuePlace) instead of
 * counting every job ahead of it.
 */
export const queueCounts = pgTable(
  "queue_counts",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    priority: integer("priority").notNull(),
    slot: smallint("slot").notNull(),
    queued: integer("queued").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.priority, t.slot] })],
);
