import { JOB_STATUSES } from "@apf/domain";
import { sql } from "drizzle-orm";
import {
  bigint,
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
import { printFiles } from "./print-files.ts";
import { printers } from "./printers.ts";
import { skus } from "./skus.ts";

export { JOB_STATUSES, type JobStatus } from "@apf/domain";

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
    /** The print file a queued job prints (null for jobs OctoPrint started by itself). */
    printFileId: uuid("print_file_id").references(() => printFiles.id, { onDelete: "set null" }),
    /** The printer the job was queued for (null: any fitting printer); printer_id is where it runs. */
    assignedPrinterId: uuid("assigned_printer_id").references(() => printers.id, {
      onDelete: "set null",
    }),
    /** 0–255, higher first. */
    priority: integer("priority").notNull().default(50),
    /** Order among queued jobs of the same priority (lower first); null once out of the queue. */
    queuePosition: bigint("queue_position", { mode: "number" }),
    /** Transfers tried (a failed transfer puts the job back in the queue; failed after 3). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Why no ready printer takes this queued job, as the dispatcher last saw it. */
    waitingReason: text("waiting_reason"),
    /** The print command carrying the current attempt. */
    commandId: uuid("command_id"),
    /** The name the file has on OctoPrint: apf/<stem>-<first 8 of the job id>.gcode. */
    octoprintFileName: text("octoprint_file_name"),
    dispatchedAt: instant("dispatched_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id),
    index("jobs_org_status_idx").on(t.organizationId, t.status),
    index("jobs_org_printer_idx").on(t.organizationId, t.printerId),
    /** Analytics: jobs by the instant they ended (a window of days is a range of it). */
    index("jobs_org_ended_idx")
      .on(t.organizationId, t.timeCompleted, t.status)
      .where(sql`${t.timeCompleted} is not null`),
    /**
     * Analytics: failed jobs by the instant they ended (failures by reason and file, the latest
     * failures). Small: failed jobs only.
     */
    index("jobs_org_failed_idx")
      .on(t.organizationId, t.timeCompleted)
      .where(sql`${t.status} = 'failed'`),
    /** At most one job on a printer at a time, from dispatch to its end. */
    uniqueIndex("jobs_open_per_printer_key")
      .on(t.printerId)
      .where(sql`${t.status} in ('processing', 'uploaded', 'printing', 'paused')`),
    /**
     * The queue in its whole order (priority, position, id): the dispatcher reads its head, a
     * job's place counts what is ahead of it, and the sweep finds organizations with a queue,
     * each as one range of this index.
     */
    index("jobs_org_queue_order_idx")
      .on(t.organizationId, t.priority.desc().nullsFirst(), t.queuePosition, t.id)
      .where(sql`${t.status} = 'queued'`),
    /**
     * The job a print command carries: the command's result (uploaded, or a failed transfer)
     * finds it by this, not by scanning every organization's open jobs.
     */
    index("jobs_command_idx").on(t.commandId).where(sql`${t.commandId} is not null`),
    /** Jobs of a print file: a file's delete checks them, and so does its foreign key. */
    index("jobs_print_file_idx").on(t.printFileId).where(sql`${t.printFileId} is not null`),
  ],
);
