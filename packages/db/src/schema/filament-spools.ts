import { SPOOL_STATUSES } from "@apf/domain";
import { index, numeric, pgTable, real, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { printers } from "./printers.ts";

export { SPOOL_STATUSES, type SpoolStatus } from "@apf/domain";

export const filamentSpools = pgTable(
  "filament_spools",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    color: text("color"),
    hexCode: text("hex_code"),
    brand: text("brand"),
    /** Millimetres, e.g. 1.75; the public API shows it as a string, like AutoPrintFarm. */
    diameter: numeric("diameter", { precision: 4, scale: 2 }).notNull().default("1.75"),
    remainingGrams: real("remaining_grams").notNull().default(0),
    spoolWeightGrams: real("spool_weight_grams"),
    lowThreshold: real("low_threshold"),
    status: text("status", { enum: SPOOL_STATUSES }).notNull().default("available"),
    location: text("location"),
    printerId: uuid("printer_id").references(() => printers.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("filament_spools_org_idx").on(t.organizationId, t.createdAt),
    index("filament_spools_printer_idx").on(t.printerId),
  ],
);
