import { randomUUID } from "node:crypto";
import type { CommandRequester, Transaction } from "@apf/db";
import { orgChange } from "@apf/db/queries/org-changes";
import { getPrintFile } from "@apf/db/queries/print-files";
import {
  cancelJobFrom,
  deleteQueuedJob,
  findQueueJob,
  findQueuePrinter,
  insertPrintFileJobs,
  moveQueuedJobToEnd,
  moveQueuedJobToPlace,
  type PrintFileJob,
  type QueueJob,
  requeueFinishedJob,
  skuExists,
  updateQueuedJob,
} from "@apf/db/queries/print-queue";
import { findPublicJobs } from "@apf/db/queries/public-jobs";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { GroupCommit } from "../../platform/group-commit.ts";
import { type PublicJob, toPublicJob } from "../../routes/public/v1/jobs/schema.ts";
import { type Actor, type AuditAction, auditRow } from "../audit/audit.ts";
import type { ControlAnswer } from "../control/request.ts";
import { requestControl } from "../control/request.ts";
import { type JobEventType, jobEvents } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";
import { modelMismatch } from "./rules.ts";

/** Who asks: a key or a member, and from where (for the audit log and print commands). */
export interface QueueActor {
  organizationId: string;
  requester: { type: CommandRequester; id: string };
  origin: Actor;
}

type QueueServices = Pick<
  Services,
  "db" | "clock" | "config" | "commandBus" | "dispatcher" | "orgChanges"
>;

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
  new DomainError(
    "JOB_STATE_CHANGED",
    `The job is "${job.status}"; this needs a job that is ${wanted}.`,
    { fields: { current_status: job.status } },
  );

/** Reads the job's current status to explain why a compare-and-set found nothing. */
async function explainMissed(db: Services["db"], actor: QueueActor, jobId: string, wanted: string) {
  const now = await findQueueJob(db, actor.organizationId, jobId);
  if (!now) return new DomainError("NOT_FOUND", "Job not found.");
  return stateChanged(now, wanted);
}

/** A change of one job: its compare-and-set, the audit event and the events that record it. */
interface JobChange<T> {
  /** The states the change needs, in words, for JOB_STATE_CHANGED ("queued"). */
  wanted: string;
  /** The compare-and-set(s), in the transaction: the changed row, or undefined when it missed. */
  write(tx: Transaction): Promise<T | undefined>;
  action: AuditAction;
  details?: (row: T) => Record<string, unknown>;
  /** The job's events, read after the write in its transaction (none: nobody hears of it). */
  events?: readonly JobEventType[];
}

/**
 * Changes a job and records it (audit event, job events) in one transaction, then wakes the dispatcher (the queue
 * changed). When the compare-and-set misses (someone moved the job first), throws
 * JOB_STATE_CHANGED naming the job's status now, or NOT_FOUND once it is gone.
 */
async function changeJob<T>(
  services: QueueServices,
  actor: QueueActor,
  jobId: string,
  change: JobChange<T>,
): Promise<T> {
  const row = await services.db.transaction(async (tx) => {
    const changed = await change.write(tx);
    if (changed === undefined) return undefined;
    await recordChange(tx, actor.origin, {
      organizationId: actor.organizationId,
      audit: {
        action: change.action,
        target: { type: "job", id: jobId },
        ...(change.details ? { details: change.details(changed) } : {}),
      },
      events: await jobEvents(
        tx,
        actor.organizationId,
        (change.events ?? []).map((type) => ({ jobId, type })),
      ),
    });
    return changed;
  });
  if (row === undefined) throw await explainMissed(services.db, actor, jobId, change.wanted);
  services.dispatcher.wake(actor.organizationId);
  return row;
}

/**
 * Queues a print file as a job at the bottom of the queue. Throws FILE_NOT_FOUND,
 * PRINTER_NOT_FOUND, SKU_NOT_FOUND or PRINTER_MODEL_MISMATCH, naming what was missing. The job
 * is written with the organization's other enqueues of the moment (writeEnqueued), its audit
 * event in the statement that locks the file's row while it writes the job, so a concurrent
 * delete of the file either waits and then sees the job (FILE_IN_USE) or deleted it first
 * (FILE_NOT_FOUND here); never a job whose file is gone. Its change notifications are announced
 * afterwards, together with other writers' (services/org-changes.ts). Returns the job as
 * GET /jobs/{id} shows it, read in the transaction that queued it: the same object its
 * job.queued event carries.
 */
export async function enqueueJob(
  services: QueueServices,
  actor: QueueActor,
  input: EnqueueInput,
): Promise<PublicJob> {
  const { db, clock, config } = services;
  const org = actor.organizationId;
  const now = clock.now();
  const fileNotFound = () =>
    new DomainError("FILE_NOT_FOUND", `Print file ${input.printFileId} not found.`);
  // A printer or SKU named: checked first, in AutoPrintFarm's order (the file, then the printer
  // and its model, then the SKU); the statement below still finds the file or answers 404.
  if (input.printerId !== undefined || input.productSkuId !== undefined) {
    const file = await getPrintFile(db, org, input.printFileId);
    if (!file) throw fileNotFound();
    if (input.printerId !== undefined) {
      const printer = await findQueuePrinter(db, org, input.printerId, {
        now,
        staleAfterS: config.APF_STALE_AFTER_S,
      });
      if (!printer)
        throw new DomainError("PRINTER_NOT_FOUND", `Printer ${input.printerId} not found.`);
      if (modelMismatch(file, printer)) {
        throw new DomainError(
          "PRINTER_MODEL_MISMATCH",
          `The file is sliced for "${file.printerModel}", printer ${printer.name} is a "${printer.model}".`,
        );
      }
    }
    if (input.productSkuId !== undefined && !(await skuExists(db, org, input.productSkuId))) {
      throw new DomainError("SKU_NOT_FOUND", `SKU ${input.productSkuId} not found.`);
    }
  }
  const jobId = randomUUID();
  return enqueueWriter(services).submit(org, {
    actor,
    fileNotFound,
    job: {
      id: jobId,
      printFileId: input.printFileId,
      printerId: input.printerId ?? null,
      productSkuId: input.productSkuId ?? null,
      color: input.color ?? null,
      filamentType: input.filamentType ?? null,
      materialType: input.materialType ?? null,
      numberOfUnits: input.numberOfUnits ?? null,
      priority: input.priority ?? DEFAULT_PRIORITY,
      now,
      audit: auditRow(actor.origin, {
        organizationId: org,
        action: "job.queued",
        target: { type: "job", id: jobId },
        details: { print_file_id: input.printFileId, printer_id: input.printerId ?? null },
      }),
    },
  });
}

interface EnqueueItem {
  actor: QueueActor;
  job: PrintFileJob;
  fileNotFound: () => DomainError;
}

/** Each instance's enqueue group commit (one per Services: its database, its dispatcher). */
const enqueueWriters = new WeakMap<QueueServices, GroupCommit<EnqueueItem, PublicJob>>();

function enqueueWriter(services: QueueServices) {
  let writer = enqueueWriters.get(services);
  if (!writer) {
    writer = new GroupCommit((items) => writeEnqueued(services, items));
    enqueueWriters.set(services, writer);
  }
  return writer;
}

/**
 * Writes enqueues of one organization (those that came while the one before was written) in one
 * transaction: the jobs and their audit events in one statement (insertPrintFileJobs), the jobs
 * read back, which are both the answers and their job.queued events, recorded in the same
 * transaction, so each job and its event commit together. A job whose file is gone answers
 * FILE_NOT_FOUND alone; a batch that fails is retried one job at a time (GroupCommit).
 */
async function writeEnqueued(
  services: QueueServices,
  items: readonly EnqueueItem[],
): Promise<(PublicJob | Error)[]> {
  const org = items[0]!.actor.organizationId;
  const queued = await services.db.transaction(async (tx) => {
    const { written, changes } = await insertPrintFileJobs(
      tx,
      org,
      items.map((i) => i.job),
    );
    if (written.size === 0) return { jobs: new Map<string, PublicJob>(), changes };
    const rows = await findPublicJobs(tx, org, [...written]);
    const jobs = new Map(rows.map((row) => [row.id, toPublicJob(row)]));
    // In the order the jobs were queued, so their events are too. No audit entries here (the
    // statement wrote them): the actor is only recordChange's signature.
    const events = items.flatMap((i) => {
      const job = jobs.get(i.job.id);
      if (written.has(i.job.id) && !job)
        throw new Error(`job ${i.job.id} was written but not read back`);
      return job ? [{ type: "job.queued" as const, data: job }] : [];
    });
    await recordChange(tx, items[0]!.actor.origin, { organizationId: org, events });
    // The statement deferred the transaction's notifications: those of its jobs and of the events
    // (announced here, as the triggers would have: no round trip to read them back).
    return { jobs, changes: [...changes, orgChange("events", org)] };
  });
  if (queued.jobs.size > 0) {
    services.orgChanges.announce(queued.changes);
    services.dispatcher.wake(org);
  }
  return items.map((i) => queued.jobs.get(i.job.id) ?? i.fileNotFound());
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
  if (!job) throw new DomainError("NOT_FOUND", "Job not found.");
  if (job.status !== "queued") throw stateChanged(job, "queued");
  if (edit.printerId) {
    const printer = await findQueuePrinter(db, org, edit.printerId, {
      now,
      staleAfterS: config.APF_STALE_AFTER_S,
    });
    if (!printer)
      throw new DomainError("PRINTER_NOT_FOUND", `Printer ${edit.printerId} not found.`);
    const file = job.printFileId ? await getPrintFile(db, org, job.printFileId) : null;
    if (file && modelMismatch(file, printer)) {
      throw new DomainError(
        "PRINTER_MODEL_MISMATCH",
        `The file is sliced for "${file.printerModel}", printer ${printer.name} is a "${printer.model}".`,
      );
    }
  }
  await changeJob(services, actor, jobId, {
    wanted: "queued",
    action: "job.updated",
    details: () => ({
      priority: edit.priority,
      printer_id: edit.printerId,
      position: edit.position,
    }),
    async write(tx) {
      if (edit.priority !== undefined || edit.printerId !== undefined) {
        const patch = {
          ...(edit.priority !== undefined ? { priority: edit.priority } : {}),
          ...(edit.printerId !== undefined ? { printerId: edit.printerId } : {}),
        };
        if (!(await updateQueuedJob(tx, org, jobId, patch, now))) return undefined;
      }
      if (edit.position !== undefined) {
        const moved =
          typeof edit.position === "number"
            ? await moveQueuedJobToPlace(tx, org, jobId, edit.position, now)
            : await moveQueuedJobToEnd(tx, org, jobId, edit.position, now);
        if (!moved) return undefined;
      }
      return true;
    },
  });
}

/** Removes a queued job. NOT_FOUND, or JOB_STATE_CHANGED when it is not queued. */
export async function removeQueuedJob(services: QueueServices, actor: QueueActor, jobId: string) {
  await changeJob(services, actor, jobId, {
    wanted: "queued",
    action: "job.removed",
    write: (tx) => deleteQueuedJob(tx, actor.organizationId, jobId),
  });
}

/** Puts a failed or cancelled job back in the queue (attempts kept). */
export async function retryJob(services: QueueServices, actor: QueueActor, jobId: string) {
  const { db, clock } = services;
  const job = await findQueueJob(db, actor.organizationId, jobId);
  if (!job) throw new DomainError("NOT_FOUND", "Job not found.");
  if (job.status !== "failed" && job.status !== "cancelled") {
    throw stateChanged(job, '"failed" or "cancelled"');
  }
  if (!job.printFileId) {
    throw new DomainError(
      "JOB_STATE_CHANGED",
      "This job was started on the printer itself, not from a print file; only queued print files can be retried.",
      { fields: { current_status: job.status } },
    );
  }
  await changeJob(services, actor, jobId, {
    wanted: '"failed" or "cancelled"',
    action: "job.retried",
    details: () => ({ attempts: job.attempts }),
    events: ["job.queued"],
    write: (tx) => requeueFinishedJob(tx, actor.organizationId, jobId, clock.now()),
  });
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
  if (!job) throw new DomainError("NOT_FOUND", "Job not found.");
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
  const cancelled = await changeJob(services, actor, jobId, {
    wanted: '"queued", "processing" or "uploaded"',
    action: "job.cancelled",
    details: () => ({ from: job.status }),
    events: ["job.cancelled"],
    write: (tx) => cancelJobFrom(tx, actor.organizationId, jobId, from, clock.now()),
  });
  return { kind: "cancelled", job: cancelled };
}
