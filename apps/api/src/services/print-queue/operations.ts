import type { CommandRequester } from "@apf/db";
import {
  cancelJobFrom,
  deleteQueuedJob,
  findQueueJob,
  findQueuePrinter,
  findQueuePrintFile,
  insertQueuedJob,
  moveQueuedJobToEnd,
  moveQueuedJobToPlace,
  type QueueJob,
  requeueFinishedJob,
  skuExists,
  updateQueuedJob,
} from "@apf/db/queries/print-queue";
import type { Services } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { type AuditOrigin, recordAudit } from "../audit.ts";
import type { ControlAnswer } from "../control/request.ts";
import { requestControl } from "../control/request.ts";
import { jobEvents } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";
import { modelMismatch } from "./rules.ts";

/** Who asks: a key or a member, and from where (for the audit log and print commands). */
export interface QueueActor {
  organizationId: string;
  requester: { type: CommandRequester; id: string };
  origin: AuditOrigin;
}

type QueueServices = Pick<Services, "db" | "clock" | "config" | "commandBus" | "dispatcher">;

export interface EnqueueInput {
  printFileId: string;
  printerId?: string | undefined;
  productSkuId?: string | undefined;
  color?: string | undefined;
  filamentType?: string | undefined;
  materialType?: string | undefined;
  numberOfUnits?: number | undefined;
  priority?: number | undefined;
}

/** The queue's default priority (0–255, higher first). */
export const DEFAULT_PRIORITY = 50;

const stateChanged = (job: { status: string }, wanted: string) =>
  new ApiError(
    "JOB_STATE_CHANGED",
    `The job is "${job.status}"; this needs a job that is ${wanted}.`,
    {},
    { current_status: job.status },
  );

/** Reads the job's current status to explain why a compare-and-set found nothing. */
async function explainMissed(db: Services["db"], actor: QueueActor, jobId: string, wanted: string) {
  const now = await findQueueJob(db, actor.organizationId, jobId);
  if (!now) return new ApiError("NOT_FOUND", "Job not found.");
  return stateChanged(now, wanted);
}

/**
 * Queues a print file as a job at the bottom of the queue. Throws FILE_NOT_FOUND,
 * PRINTER_NOT_FOUND, SKU_NOT_FOUND or PRINTER_MODEL_MISMATCH, naming what was missing.
 */
export async function enqueueJob(
  services: QueueServices,
  actor: QueueActor,
  input: EnqueueInput,
): Promise<string> {
  const { db, clock, config } = services;
  const org = actor.organizationId;
  const now = clock.now();
  const file = await findQueuePrintFile(db, org, input.printFileId);
  if (!file) throw new ApiError("FILE_NOT_FOUND", `Print file ${input.printFileId} not found.`);
  if (input.printerId !== undefined) {
    const printer = await findQueuePrinter(db, org, input.printerId, {
      now,
      staleAfterS: config.APF_STALE_AFTER_S,
    });
    if (!printer) throw new ApiError("PRINTER_NOT_FOUND", `Printer ${input.printerId} not found.`);
    if (modelMismatch(file, printer)) {
      throw new ApiError(
        "PRINTER_MODEL_MISMATCH",
        `The file is sliced for "${file.printerModel}", printer ${printer.name} is a "${printer.model}".`,
      );
    }
  }
  if (input.productSkuId !== undefined && !(await skuExists(db, org, input.productSkuId))) {
    throw new ApiError("SKU_NOT_FOUND", `SKU ${input.productSkuId} not found.`);
  }
  const jobId = await db.transaction(async (tx) => {
    const id = await insertQueuedJob(tx, {
      organizationId: org,
      printFileId: file.id,
      fileName: file.originalFilename,
      printerId: input.printerId ?? null,
      productSkuId: input.productSkuId ?? null,
      color: input.color ?? null,
      filamentType: input.filamentType ?? null,
      materialType: input.materialType ?? null,
      numberOfUnits: input.numberOfUnits ?? file.numberOfUnits,
      priority: input.priority ?? DEFAULT_PRIORITY,
      estimatedPrintTimeMinutes:
        file.printTimeSeconds === null ? null : Math.ceil(file.printTimeSeconds / 60),
      now,
    });
    await recordChange(tx, actor.origin, {
      organizationId: org,
      audit: {
        action: "job.queued",
        target: { type: "job", id },
        details: { print_file_id: file.id, printer_id: input.printerId ?? null },
      },
      events: await jobEvents(tx, org, [{ jobId: id, type: "job.queued" }]),
    });
    return id;
  });
  services.dispatcher.wake(org);
  return jobId;
}

export interface JobEdit {
  priority?: number | undefined;
  /** null: any fitting printer. */
  printerId?: string | null | undefined;
  position?: "top" | "bottom" | number | undefined;
}

/**
 * Edits a queued job: priority, printer (null = any), place in the queue. NOT_FOUND,
 * PRINTER_NOT_FOUND, PRINTER_MODEL_MISMATCH, or JOB_STATE_CHANGED when it is not queued.
 */
export async function editQueuedJob(
  services: QueueServices,
  actor: QueueActor,
  jobId: string,
  edit: JobEdit,
): Promise<void> {
  const { db, clock, config } = services;
  const org = actor.organizationId;
  const now = clock.now();
  const job = await findQueueJob(db, org, jobId);
  if (!job) throw new ApiError("NOT_FOUND", "Job not found.");
  if (job.status !== "queued") throw stateChanged(job, "queued");
  if (edit.printerId) {
    const printer = await findQueuePrinter(db, org, edit.printerId, {
      now,
      staleAfterS: config.APF_STALE_AFTER_S,
    });
    if (!printer) throw new ApiError("PRINTER_NOT_FOUND", `Printer ${edit.printerId} not found.`);
    const file = job.printFileId ? await findQueuePrintFile(db, org, job.printFileId) : undefined;
    if (file && modelMismatch(file, printer)) {
      throw new ApiError(
        "PRINTER_MODEL_MISMATCH",
        `The file is sliced for "${file.printerModel}", printer ${printer.name} is a "${printer.model}".`,
      );
    }
  }
  const done = await db.transaction(async (tx) => {
    if (edit.priority !== undefined || edit.printerId !== undefined) {
      const patch = {
        ...(edit.priority !== undefined ? { priority: edit.priority } : {}),
        ...(edit.printerId !== undefined ? { printerId: edit.printerId } : {}),
      };
      if (!(await updateQueuedJob(tx, org, jobId, patch, now))) return false;
    }
    if (edit.position !== undefined) {
      const moved =
        typeof edit.position === "number"
          ? await moveQueuedJobToPlace(tx, org, jobId, edit.position, now)
          : await moveQueuedJobToEnd(tx, org, jobId, edit.position, now);
      if (!moved) return false;
    }
    await recordAudit(tx, actor.origin, {
      organizationId: org,
      action: "job.updated",
      target: { type: "job", id: jobId },
      details: {
        priority: edit.priority,
        printer_id: edit.printerId,
        position: edit.position,
      },
    });
    return true;
  });
  if (!done) throw await explainMissed(db, actor, jobId, "queued");
  services.dispatcher.wake(org);
}

/** Removes a queued job. NOT_FOUND, or JOB_STATE_CHANGED when it is not queued. */
export async function removeQueuedJob(services: QueueServices, actor: QueueActor, jobId: string) {
  const { db } = services;
  const removed = await db.transaction(async (tx) => {
    const row = await deleteQueuedJob(tx, actor.organizationId, jobId);
    if (!row) return false;
    await recordAudit(tx, actor.origin, {
      organizationId: actor.organizationId,
      action: "job.removed",
      target: { type: "job", id: jobId },
    });
    return true;
  });
  if (!removed) throw await explainMissed(db, actor, jobId, "queued");
}

/** Puts a failed or cancelled job back in the queue (attempts kept). */
export async function retryJob(services: QueueServices, actor: QueueActor, jobId: string) {
  const { db, clock } = services;
  const job = await findQueueJob(db, actor.organizationId, jobId);
  if (!job) throw new ApiError("NOT_FOUND", "Job not found.");
  if (job.status !== "failed" && job.status !== "cancelled") {
    throw stateChanged(job, '"failed" or "cancelled"');
  }
  if (!job.printFileId) {
    throw new ApiError(
      "JOB_STATE_CHANGED",
      "This job was started on the printer itself, not from a print file; only queued print files can be retried.",
      {},
      { current_status: job.status },
    );
  }
  const done = await db.transaction(async (tx) => {
    const row = await requeueFinishedJob(tx, actor.organizationId, jobId, clock.now());
    if (!row) return false;
    await recordChange(tx, actor.origin, {
      organizationId: actor.organizationId,
      audit: {
        action: "job.retried",
        target: { type: "job", id: jobId },
        details: { attempts: job.attempts },
      },
      events: await jobEvents(tx, actor.organizationId, [{ jobId, type: "job.queued" }]),
    });
    return true;
  });
  if (!done) throw await explainMissed(db, actor, jobId, '"failed" or "cancelled"');
  services.dispatcher.wake(actor.organizationId);
}

/** What a cancel came to: cancelled at once, or the printer was told to stop. */
export type CancelOutcome =
  | { kind: "cancelled"; job: QueueJob }
  | { kind: "stopping"; job: QueueJob; control: ControlAnswer };

/**
 * Cancels a job: queued, processing or uploaded → cancelled at once; printing or paused → the
 * printer's `stop` through the control path (the job is cancelled when the agent's report shows
 * it). Anything else is JOB_STATE_CHANGED. A job cancelled before it reached the printer leaves
 * nothing on the bed: no collection task (an `uploaded` one did reach it, and ingest sees the
 * printer's job end if OctoPrint started it).
 */
export async function cancelJob(
  services: QueueServices,
  actor: QueueActor,
  jobId: string,
): Promise<CancelOutcome> {
  const { db, clock } = services;
  const job = await findQueueJob(db, actor.organizationId, jobId);
  if (!job) throw new ApiError("NOT_FOUND", "Job not found.");
  if ((job.status === "printing" || job.status === "paused") && job.printerId) {
    const control = await requestControl(services, {
      organizationId: actor.organizationId,
      printerId: job.printerId,
      action: "stop",
      requester: actor.requester,
      origin: actor.origin,
    });
    return { kind: "stopping", job, control };
  }
  const from = ["queued", "processing", "uploaded"] as const;
  if (!(from as readonly string[]).includes(job.status)) {
    throw stateChanged(job, '"queued", "processing", "uploaded", "printing" or "paused"');
  }
  const cancelled = await db.transaction(async (tx) => {
    const row = await cancelJobFrom(tx, actor.organizationId, jobId, from, clock.now());
    if (!row) return undefined;
    await recordChange(tx, actor.origin, {
      organizationId: actor.organizationId,
      audit: {
        action: "job.cancelled",
        target: { type: "job", id: jobId },
        details: { from: job.status },
      },
      events: await jobEvents(tx, actor.organizationId, [{ jobId, type: "job.cancelled" }]),
    });
    return row;
  });
  if (!cancelled)
    throw await explainMissed(db, actor, jobId, '"queued", "processing" or "uploaded"');
  services.dispatcher.wake(actor.organizationId);
  return { kind: "cancelled", job: cancelled };
}
