import { bigint, pgTable, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

/**
 * One counter per organization, bumped by Postgres triggers on every insert, update or delete of
 * its printers (migration printer_list_version_triggers), so that no write path can forget it.
 * Readers that keep a serialised printer list compare it with this number before serving it.
 */
export const printerListVersions = pgTable("printer_list_versions", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
