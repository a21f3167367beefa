import { completeTask, findTask } from "@apf/db/queries/tasks";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { bedClearedEvent, taskEvent } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";
import { printerFreshness } from "../printers/printer-view.ts";
import type { QueueActor } from "./operations.ts";

/**
 * Completes a worklist task; a collection task's printer has its bed cleared from now (ready for
 * its next job, which wakes the dispatcher through the printer's change). NOT_FOUND for an
 * unknown task, CONFLICT for one that is not open any more.
 */
export async function completeWorklistTask(
  services: Pick<Services, "db" | "clock" | "config" | "dispatcher">,
  actor: QueueActor,
  taskId: string,
) {
  const { db, clock } = services;
  const org = actor.organizationId;
  const done = await db.transaction(async (tx) => {
    const row = await completeTask(tx, org, taskId, clock.now());
    if (!row) return undefined;
    const cleared =
      row.taskType === "collection" && row.printerId
        ? await bedClearedEvent(tx, org, row.printerId, printerFreshness(services))
        : [];
    await recordChange(tx, actor.origin, {
      organizationId: org,
      audit: {
        action: "task.completed",
        target: { type: "task", id: taskId },
        details: { task_type: row.taskType, printer_id: row.printerId },
      },
      events: [taskEvent("worklist.task_completed", row), ...cleared],
    });
    return row;
  });
  if (done) {
    services.dispatcher.wake(org);
    return done;
  }
  const task = await findTask(db, org, taskId);
  if (!task) throw new DomainError("NOT_FOUND", "Task not found.");
  throw new DomainError(
    "CONFLICT",
    `The task is "${task.status}"; only an open task can be completed.`,
  );
}
