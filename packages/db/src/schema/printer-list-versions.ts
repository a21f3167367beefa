import { bigint, pgTable, primaryKey, smallint, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

/** Counters per organization: a transaction bumps the one of slot (its transaction id % SLOTS). */
export const PRINTER_LIST_VERSION_SLOTS = 64;

/**
 * Counters per organization, bumped by Postgres triggers on every insert, update or delete of its
 * printers (migration printer_list_version_triggers), so that no write path can forget them. The
 * organization's version is their sum: every committed write raises it, and concurrent writers
 * (the agents of one farm) bump different rows instead of queueing on one row's lock until each
 * other's commit. Readers that keep a serialised printer list compare it before serving it.
 */
export const printerListVersions = pgTable(
  "printer_list_versions",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    slot: smallint("slot").notNull().default(0),
    version: bigint("version", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.slot] })],
);
