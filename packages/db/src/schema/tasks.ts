import { TASK_STATUSES, TASK_TYPES } from "@apf/domain";
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant, updatedAt } from "./columns.ts";
import { jobs } from "./jobs.ts";
import { organizations } from "./organizations.ts";
import { printers } from "./printers.ts";

/** The technicians' worklist (AutoPrintFarm's fields). A `collection` task appears per ended job. */
export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    printerId: uuid("printer_id").references(() => printers.id, { onDelete: "set null" }),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    taskType: text("task_type", { enum: TASK_TYPES }).notNull(),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("pending"),
    title: text("title").notNull(),
    subtitle: text("subtitle"),
    description: text("description"),
    /** `low`, `medium`, `high` or `urgent`. */
    priority: text("priority").notNull().default("medium"),
    estimatedTimeMinutes: integer("estimated_time_minutes"),
    actualTimeMinutes: integer("actual_time_minutes"),
    startedAt: instant("started_at"),
    completedAt: instant("completed_at"),
    dueDate: instant("due_date"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tasks_org_status_idx").on(t.organizationId, t.status, t.createdAt.desc()),
    /** One collection task per ended job. */
    uniqueIndex("tasks_job_type_key").on(t.jobId, t.taskType),
  ],
);
