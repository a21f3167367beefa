import { sql } from "drizzle-orm";
import {
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, instant, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { printers } from "./printers.ts";
import { skus } from "./skus.ts";

/**
 * `processing`: a start was dispatched to the printer and it has not begun yet
 * (AutoPrintFarm's vocabulary; the rest follow OctoPrint's job states).
 */
export const JOB_STATUSES = [
  "queued",
  "processing",
  "printing",
  "paused",
  "completed",
  "failed",
  "cancelled",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    printerId: uuid("printer_id").references(() => printers.id, { onDelete: "set null" }),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    fileName: text("file_name"),
    productSkuId: uuid("product_sku_id").references(() => skus.id, { onDelete: "set null" }),
    numberOfUnits: integer("number_of_units").notNull().default(1),
    color: text("color"),
    filamentType: text("filament_type"),
    materialType: text("material_type"),
    progressPercentage: doublePrecision("progress_percentage"),
    estimatedPrintTimeMinutes: integer("estimated_print_time_minutes"),
    actualPrintTimeMinutes: integer("actual_print_time_minutes"),
    failureReason: text("failure_reason"),
    timeSubmitted: instant("time_submitted").notNull().defaultNow(),
    timeStarted: instant("time_started"),
    timeCompleted: instant("time_completed"),
    /** Set once when a completed job's units were added to its SKU's ready_stock. */
    stockCountedAt: instant("stock_counted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id),
    index("jobs_org_status_idx").on(t.organizationId, t.status),
    index("jobs_org_printer_idx").on(t.organizationId, t.printerId),
    /** At most one open job per printer. */
    uniqueIndex("jobs_open_per_printer_key")
      .on(t.printerId)
      .where(sql`${t.status} in ('printing', 'paused')`),
  ],
);
