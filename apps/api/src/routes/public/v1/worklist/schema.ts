import type { TaskRow } from "@apf/db/queries/tasks";
import { TASK_STATUSES, TASK_TYPES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** A worklist task as integrators see it (AutoPrintFarm's fields). */
export const TaskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    subtitle: z.string().nullable(),
    description: z.string().nullable(),
    task_type: z.enum(TASK_TYPES),
    priority: z.string().openapi({ description: "`low`, `medium`, `high` or `urgent`." }),
    status: z.enum(TASK_STATUSES),
    printer_id: z.string().nullable(),
    estimated_time_minutes: z.int().nullable(),
    actual_time_minutes: z.int().nullable(),
    started_at: timestamp().nullable(),
    completed_at: timestamp().nullable(),
    due_date: timestamp().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("WorklistTask");

/** A stored task → the public item. */
export function toPublicTask(row: TaskRow) {
  return TaskSchema.parse({
    id: row.id,
    title: row.title,
    subtitle: row.subtitle,
    description: row.description,
    task_type: row.taskType,
    priority: row.priority,
    status: row.status,
    printer_id: row.printerId,
    estimated_time_minutes: row.estimatedTimeMinutes,
    actual_time_minutes: row.actualTimeMinutes,
    started_at: iso(row.startedAt),
    completed_at: iso(row.completedAt),
    due_date: iso(row.dueDate),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  });
}
