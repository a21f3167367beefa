import { sqlState } from "@apf/db";
import { hasOpenCommandChannel } from "@apf/db/queries/command-channels";
import { findCommand } from "@apf/db/queries/commands";
import { getPrintFile } from "@apf/db/queries/print-files";
import {
  findQueueJob,
  findQueuePrinter,
  type PrintStart,
  startQueuedJob,
} from "@apf/db/queries/print-queue";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { recordAudit } from "../audit/audit.ts";
import { agentTopic, commandTopic } from "../control/bus.ts";
import { waitFor } from "../control/wait.ts";
import type { QueueActor } from "./operations.ts";
import { modelMismatch, octoprintFileName, unavailability } from "./rules.ts";
import { settlePrintCommand } from "./transfer.ts";

/** How long a start waits for the agent (as a control request does) before answering 202. */
export const START_WAIT_MS = 10_000;
/** After the agent took the command, how long a refusal may still come back "at once". */
const REFUSAL_GRACE_MS = 2_000;
/** A print command the agent has not taken by then expires; the job goes back to the queue. */
export const PRINT_TAKE_TTL_MS = 30_000;
const RECHECK_MS = 500;

/** What a start came to: the agent took the print command, or has not yet. */
export interface StartAnswer {
  /** True once the agent took the command (it may still be transferring the file). */
  taken: boolean;
  data: { job_id: string; printer_id: string; command_id: string; status: "processing" };
}

type StartServices = Pick<Services, "db" | "clock" | "config" | "commandBus" | "dispatcher">;

/**
 * queued → processing with a `print` command, in one transaction: the compare-and-set on the
 * job, the command row and its audit event. Undefined when the job was not queued any more or
 * the printer already has a job (the unique index of open jobs per printer).
 */
export async function startOnPrinter(
  services: Pick<Services, "db">,
  start: PrintStart,
  origin: QueueActor["origin"],
) {
  try {
    return await services.db.transaction(async (tx) => {
      const command = await startQueuedJob(tx, start);
      if (!command) return undefined;
      await recordAudit(tx, origin, {
        organizationId: start.organizationId,
        action: "job.started",
        target: { type: "job", id: start.jobId },
        details: { printer_id: start.printerId, command_id: command.id },
      });
      return command;
    });
  } catch (error) {
    if (sqlState(error) === "23505") return "printer-busy" as const;
    throw error;
  }
}

/**
 * POST …/jobs/{id}/start: checks in AutoPrintFarm's order (JOB_NOT_FOUND, JOB_STATE_CHANGED,
 * NO_PRINTER_ASSIGNED, PRINTER_NOT_FOUND, PRINTER_UNAVAILABLE, PRINTER_MODEL_MISMATCH,
 * NO_HUB_ASSIGNED, HUB_OFFLINE, FILE_NOT_FOUND), starts the job, wakes the agent and waits.
 */
export async function startJob(
  services: StartServices,
  actor: QueueActor,
  jobId: string,
  options: { waitMs?: number } = {},
): Promise<StartAnswer> {
  const { db, clock, config, commandBus } = services;
  const org = actor.organizationId;
  const now = clock.now();
  const job = await findQueueJob(db, org, jobId);
  if (!job) throw new DomainError("JOB_NOT_FOUND", `Job ${jobId} not found.`);
  if (job.status !== "queued") {
    throw new DomainError(
      "JOB_STATE_CHANGED",
      `The job is "${job.status}"; only a queued job can be started.`,
      { fields: { current_status: job.status } },
    );
  }
  const printerId = job.assignedPrinterId ?? job.printerId;
  if (!printerId) {
    throw new DomainError(
      "NO_PRINTER_ASSIGNED",
      "The job has no printer; set one with PATCH /jobs/{id} {printer_id} first.",
    );
  }
  const printer = await findQueuePrinter(db, org, printerId, {
    now,
    staleAfterS: config.APF_STALE_AFTER_S,
  });
  if (!printer) throw new DomainError("PRINTER_NOT_FOUND", `Printer ${printerId} not found.`);
  const why = unavailability(printer);
  if (why) throw new DomainError("PRINTER_UNAVAILABLE", `Printer ${printer.name} ${why}.`);
  const file = job.printFileId ? await getPrintFile(db, org, job.printFileId) : null;
  if (file && modelMismatch(file, printer)) {
    throw new DomainError(
      "PRINTER_MODEL_MISMATCH",
      `The file is sliced for "${file.printerModel}", printer ${printer.name} is a "${printer.model}".`,
    );
  }
  if (!printer.agentId) {
    throw new DomainError("NO_HUB_ASSIGNED", `No agent reports printer ${printer.name}.`);
  }
  const agentId = printer.agentId;
  if (!(await hasOpenCommandChannel(db, agentId, now))) {
    throw new DomainError(
      "HUB_OFFLINE",
      "The printer's agent has no open command channel; nothing was sent and the job stays queued.",
      { retryAfterS: 5 },
    );
  }
  if (!file) throw new DomainError("FILE_NOT_FOUND", "The job's print file no longer exists.");

  const name = octoprintFileName(file.originalFilename, job.id);
  const command = await startOnPrinter(
    services,
    {
      organizationId: org,
      jobId,
      printerId: printer.id,
      agentId,
      machineId: printer.machineId,
      octoprintFileName: `apf/${name}`,
      requester: actor.requester,
      now,
      expiresAt: new Date(now.getTime() + PRINT_TAKE_TTL_MS),
    },
    actor.origin,
  );
  if (command === "printer-busy") {
    throw new DomainError("PRINTER_UNAVAILABLE", `Printer ${printer.name} has a job on its way.`);
  }
  if (!command) {
    const current = await findQueueJob(db, org, jobId);
    throw new DomainError(
      "JOB_STATE_CHANGED",
      `The job is "${current?.status ?? "gone"}"; only a queued job can be started.`,
      { fields: { current_status: current?.status ?? null } },
    );
  }
  const answer = (taken: boolean): StartAnswer => ({
    taken,
    data: { job_id: jobId, printer_id: printer.id, command_id: command.id, status: "processing" },
  });

  const waitMs = options.waitMs ?? START_WAIT_MS;
  const started = Date.now();
  const settled = await waitFor(commandBus, {
    topic: commandTopic(command.id),
    timeoutMs: waitMs,
    recheckMs: RECHECK_MS,
    onListening: () => void commandBus.publish(agentTopic(agentId)),
    check: async () => {
      const row = await findCommand(db, org, command.id);
      if (!row || row.status === "pending") return undefined;
      if (row.status !== "dispatched") return row;
      // Taken: a refusal comes back at once; a transfer under way answers 200 after the grace.
      return Date.now() - started >= REFUSAL_GRACE_MS ? row : undefined;
    },
  });
  if (!settled) {
    const row = await findCommand(db, org, command.id);
    return answer(row?.status === "dispatched");
  }
  if (settled.status === "failed" || settled.status === "expired") {
    await settlePrintCommand(services, settled.id);
    services.dispatcher.wake(org);
    throw new DomainError(
      "HUB_COMMAND_FAILED",
      `The agent could not start the job: ${settled.error ?? "no reason given"}. The job is queued again.`,
    );
  }
  return answer(true);
}
