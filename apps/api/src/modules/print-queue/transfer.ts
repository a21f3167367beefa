import { findAgentCommand } from "@apf/db/queries/commands";
import {
  acceptLateResult,
  describePrintCommands,
  expireUntakenPrintCommands,
  failDispatchedCommand,
  failTransfer,
  failUnansweredPrintCommands,
  findPrintCommand,
  jobsOfSettledCommands,
  markUploaded,
  recordTransferProgress,
} from "@apf/db/queries/print-queue";
import type { TransferStage } from "@apf/domain";
import type { AgentPrincipal, Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { type Actor, SYSTEM_ACTOR } from "../audit/audit.ts";
import { commandTopic } from "../control/bus.ts";
import { type AgentResult, recordCommandResult } from "../control/result.ts";
import { commandCompletedEvent, jobEvents, jobStatusEventType } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";

/** A dispatched print command without a result after this long is failed with NO_RESULT. */
export const NO_RESULT_AFTER_MS = 5 * 60_000;

/** Mints the signed agent download link of a print file (the files capability provides it). */
export interface PrintFileLinks {
  downloadUrl(organizationId: string, printFileId: string): string | Promise<string>;
}

/**
 * Moves the job of a settled print command: acknowledged → `uploaded`; failed or expired → back
 * to the queue with one more attempt (or `failed` after the last). A job that moved on already
 * is left alone (compare-and-set on the job still carrying this command in `processing`).
 */
export async function settlePrintCommand(
  services: Pick<Services, "db" | "clock">,
  commandId: string,
  status?: { status: string; error: string | null },
) {
  const { db, clock } = services;
  const now = clock.now();
  const settled = status ?? (await findPrintCommand(db, commandId));
  if (!settled) return undefined;
  if (settled.status === "acknowledged") return markUploaded(db, commandId, now);
  if (settled.status === "failed" || settled.status === "expired") {
    return db.transaction(async (tx) => {
      const row = await failTransfer(tx, commandId, settled.error ?? "the transfer failed", now);
      if (row) await recordRequeue(tx, row);
      return row;
    });
  }
  return undefined;
}

/** job.queued (back in the queue) or job.failed (out of attempts) for a transfer that failed. */
async function recordRequeue(
  tx: Parameters<typeof recordChange>[0],
  row: { id: string; organizationId: string; status: string },
) {
  const type = jobStatusEventType(row.status);
  if (!type) return;
  await recordChange(tx, SYSTEM_ACTOR, {
    organizationId: row.organizationId,
    events: await jobEvents(tx, row.organizationId, [{ jobId: row.id, type }]),
  });
}

/**
 * POST /agent/v1/commands/{id}/result for every command: records it as the control path does,
 * then moves a print command's job. A late `ok` for a print command already failed with
 * NO_RESULT still counts (the print did start) when its job was not started elsewhere.
 */
export async function recordAgentResult(
  services: Pick<Services, "db" | "clock" | "commandBus" | "dispatcher">,
  agent: AgentPrincipal,
  commandId: string,
  result: AgentResult,
  origin: Actor,
) {
  const row = await recordCommandResult(services, agent, commandId, result, origin);
  if (row.action !== "print") return row;
  if (result.ok && row.status === "failed" && row.error === "NO_RESULT") {
    const late = await services.db.transaction((tx) =>
      acceptLateResult(tx, agent.agentId, commandId, result.octoprintStatus, services.clock.now()),
    );
    if (late) {
      void services.commandBus.publish(commandTopic(late.id));
      return late;
    }
    return row;
  }
  await settlePrintCommand(services, row.id, row);
  services.dispatcher.wake(row.organizationId);
  return row;
}

/**
 * Stores a print command's transfer progress. NOT_FOUND for a command of another agent,
 * CONFLICT when it is not being carried out any more.
 */
export async function recordProgress(
  services: Pick<Services, "db">,
  agent: AgentPrincipal,
  commandId: string,
  progress: { stage: TransferStage; percent: number },
) {
  const row = await recordTransferProgress(
    services.db,
    agent.agentId,
    commandId,
    progress.stage,
    progress.percent,
  );
  if (row) return row;
  const existing = await findAgentCommand(services.db, agent.agentId, commandId);
  if (!existing) throw new DomainError("NOT_FOUND", "This agent has no such command.");
  throw new DomainError(
    "CONFLICT",
    `This command is "${existing.status}", not being carried out; progress is no longer recorded.`,
  );
}

/** What a print command carries to the agent besides its id and action. */
export interface PrintPayload {
  jobId: string;
  file: { name: string; size_bytes: number; sha256: string; url: string };
}

/**
 * The job and file of each print command being handed out (by command id). A print command
 * whose file is gone is failed at once (its job goes back to the queue) and left out.
 */
export async function describeForAgent(
  services: Pick<Services, "db" | "clock" | "printFileLinks">,
  commandIds: readonly string[],
): Promise<{ payloads: Map<string, PrintPayload>; dropped: Set<string> }> {
  const payloads = new Map<string, PrintPayload>();
  const dropped = new Set<string>();
  for (const row of await describePrintCommands(services.db, commandIds)) {
    if (!row.printFileId || row.sizeBytes === null || row.sha256 === null) {
      dropped.add(row.commandId);
      const now = services.clock.now();
      await services.db.transaction(async (tx) => {
        // The command was just marked dispatched for this answer; it never leaves.
        await failDispatchedCommand(tx, row.commandId, "the print file was deleted", now);
        const job = await failTransfer(tx, row.commandId, "the print file was deleted", now);
        if (job) await recordRequeue(tx, job);
      });
      continue;
    }
    const name = (row.octoprintFileName ?? "").replace(/^apf\//, "");
    payloads.set(row.commandId, {
      jobId: row.jobId,
      file: {
        name,
        size_bytes: row.sizeBytes,
        sha256: row.sha256,
        url: await services.printFileLinks.downloadUrl(row.organizationId, row.printFileId),
      },
    });
  }
  return { payloads, dropped };
}

/**
 * The queue's sweep (every instance, every second; each change a compare-and-set): dispatched
 * print commands unanswered for NO_RESULT_AFTER_MS fail with NO_RESULT, print commands never
 * taken expire, and jobs whose command settled without their job moving are moved. Returns
 * the organizations whose queue changed.
 */
export async function sweepTransfers(services: Pick<Services, "db" | "clock">) {
  const { db, clock } = services;
  const now = clock.now();
  await db.transaction(async (tx) => {
    const settled = [
      ...(await failUnansweredPrintCommands(tx, new Date(now.getTime() - NO_RESULT_AFTER_MS), now)),
      ...(await expireUntakenPrintCommands(tx, now)),
    ];
    await recordChange(
      tx,
      SYSTEM_ACTOR,
      settled.map((c) => ({
        organizationId: c.organizationId,
        events: [commandCompletedEvent(c)],
      })),
    );
  });
  const organizations = new Set<string>();
  for (const row of await jobsOfSettledCommands(db, 500)) {
    const moved = await settlePrintCommand(services, row.commandId, row);
    if (moved) organizations.add(moved.organizationId);
  }
  return organizations;
}
