import type { TaskStatus, TaskType } from "@apf/domain";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { printers, tasks } from "../schema/index.ts";

export type TaskRow = typeof tasks.$inferSelect;

export interface CollectionTask {
  organizationId: string;
  printerId: string;
  jobId: string;
  /** How the job ended, for the task's words. */
  jobStatus: "completed" | "failed" | "cancelled";
  printerName: string;
  fileName: string | null;
  now: Date;
}

/** A collection task's row: its words say what to take off which bed. */
function collectionTaskRow(input: CollectionTask): typeof tasks.$inferInsert {
  const what = input.fileName ?? "the last print";
  return {
    organizationId: input.organizationId,
    printerId: input.printerId,
    jobId: input.jobId,
    taskType: "collection",
    status: "pending",
    title: `Clear the bed of ${input.printerName}`,
    subtitle: `${what} ${input.jobStatus}`,
    description: `Take ${what} off the bed of ${input.printerName}, then complete this task: the printer is ready for its next job.`,
    priority: input.jobStatus === "completed" ? "medium" : "high",
    estimatedTimeMinutes: 2,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * The `collection` task of an ended job: someone has to take the print (or what is left of it)
 * off the printer's bed. One per job (a repeat does nothing). Call it in the transaction that
 * ends the job; the printer's last_job_ended_at is the caller's to set.
 */
export async function createCollectionTask(db: Queryable, input: CollectionTask) {
  const [row] = await createCollectionTasks(db, [input]);
  return row;
}

/** Rows per insert statement of `createCollectionTasks` (12 parameters each). */
const TASKS_PER_STATEMENT = 1000;

/**
 * `createCollectionTask` for many ended jobs (a report in which many prints ended), a statement
 * per thousand. Returns the tasks created, in the order of `inputs` (a job that already had its
 * task is left out).
 */
export async function createCollectionTasks(
  db: Queryable,
  inputs: readonly CollectionTask[],
): Promise<TaskRow[]> {
  const created = new Map<string, TaskRow>();
  for (let i = 0; i < inputs.length; i += TASKS_PER_STATEMENT) {
    const rows = await db
      .insert(tasks)
      .values(inputs.slice(i, i + TASKS_PER_STATEMENT).map(collectionTaskRow))
      .onConflictDoNothing({ target: [tasks.jobId, tasks.taskType] })
      .returning();
    for (const row of rows) if (row.jobId) created.set(row.jobId, row);
  }
  return inputs.flatMap((input) => {
    const row = created.get(input.jobId);
    return row ? [row] : [];
  });
}

export interface TaskFilters {
  status?: TaskStatus;
  taskType?: TaskType;
}

function filtersWhere(organizationId: string, filters: TaskFilters): SQL {
  const conditions: SQL[] = [eq(tasks.organizationId, organizationId)];
  if (filters.status !== undefined) conditions.push(eq(tasks.status, filters.status));
  if (filters.taskType !== undefined) conditions.push(eq(tasks.taskType, filters.taskType));
  return and(...conditions)!;
}

/** One page of the organization's tasks, newest first, and how many match in all. */
export async function listTasks(
  db: Queryable,
  organizationId: string,
  filters: TaskFilters,
  page: { limit: number; offset: number },
) {
  const where = filtersWhere(organizationId, filters);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(desc(tasks.createdAt), desc(tasks.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(tasks).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** One task of the organization, or undefined. */
export async function findTask(db: Queryable, organizationId: string, taskId: string) {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.id, taskId)))
    .limit(1);
  return row;
}

/**
 * Completes a pending or in-progress task (compare-and-set); for a collection task the printer's
 * bed is clear from now on. Undefined when the task is not open (any more).
 */
export async function completeTask(
  db: Queryable,
  organizationId: string,
  taskId: string,
  now: Date,
) {
  const [row] = await db
    .update(tasks)
    .set({
      status: "completed",
      completedAt: now,
      actualTimeMinutes: sql`case when ${tasks.startedAt} is null then null else greatest(0, round(extract(epoch from (${now}::timestamptz - ${tasks.startedAt})) / 60))::int end`,
      updatedAt: now,
    })
    .where(
      and(
        eq(tasks.organizationId, organizationId),
        eq(tasks.id, taskId),
        inArray(tasks.status, ["pending", "in_progress"]),
      ),
    )
    .returning();
  if (row?.taskType === "collection" && row.printerId) {
    await db
      .update(printers)
      .set({ bedClearedAt: now })
      .where(and(eq(printers.organizationId, organizationId), eq(printers.id, row.printerId)));
  }
  return row;
}

/** The bed of the printer was cleared (clear_bed): its open collection tasks are done (returned). */
export async function completeCollectionTasksOfPrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  now: Date,
): Promise<TaskRow[]> {
  return db
    .update(tasks)
    .set({ status: "completed", completedAt: now, updatedAt: now })
    .where(
      and(
        eq(tasks.organizationId, organizationId),
        eq(tasks.printerId, printerId),
        eq(tasks.taskType, "collection"),
        inArray(tasks.status, ["pending", "in_progress"]),
      ),
    )
    .returning();
}
