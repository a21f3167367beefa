import type { Transaction } from "@apf/db";
import { sqlState } from "@apf/db";
import {
  listQueueHead,
  listQueuePrinters,
  lockDispatch,
  organizationsToDispatch,
  recordAutoStart,
  setWaitingReasons,
  startQueuedJob,
} from "@apf/db/queries/print-queue";
import type { Services } from "../../context.ts";
import { recordAudit, SYSTEM_ACTOR } from "../audit.ts";
import { agentTopic } from "../control/bus.ts";
import { dispatchable, type JobFacts, misfit, octoprintFileName, waitingReason } from "./rules.ts";
import { PRINT_TAKE_TTL_MS } from "./start.ts";
import { sweepTransfers } from "./transfer.ts";

/**
 * Lets the farm run itself: gives each ready printer of an organization with `auto_start` the
 * first queued job that fits it. Woken by the organization-change doorbell (a job queued, a
 * printer's state or bed changed) and by a sweep every second as the backstop; each pass over
 * an organization is one short transaction under a per-organization advisory lock, so with any
 * number of API instances one pass runs at a time, and a pass that dies mid-way commits nothing.
 */
export interface Dispatcher {
  /** Dispatch this organization soon (coalesced). */
  wake(organizationId: string): void;
  /** One sweep and one pass over every organization with queued jobs, now. */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

type DispatchServices = Pick<
  Services,
  "db" | "clock" | "config" | "commandBus" | "orgChanges" | "logger"
>;

/** Jobs read per pass, in queue order: a printer takes the first that fits among them. */
const HEAD_LIMIT = 1000;

/** A dispatcher that does nothing (services built for a one-off task, or a test without one). */
export const idleDispatcher: Dispatcher = {
  wake() {},
  async runOnce() {},
  async close() {},
};

export function createDispatcher(
  services: DispatchServices,
  options: { sweepMs?: number } = {},
): Dispatcher {
  const { logger } = services;
  const pending = new Set<string>();
  let draining: Promise<void> | null = null;
  let closed = false;

  async function drain() {
    while (pending.size > 0 && !closed) {
      const batch = [...pending];
      pending.clear();
      for (const organizationId of batch) {
        try {
          const retryInMs = await dispatchOrganization(services, organizationId);
          if (retryInMs !== null) setTimeout(() => wake(organizationId), retryInMs).unref();
        } catch (error) {
          logger.warn(
            {
              err: error instanceof Error ? error.message : String(error),
              organization_id: organizationId,
            },
            "dispatch pass failed; the sweep retries",
          );
        }
      }
    }
  }

  function kick() {
    if (draining || closed) return;
    draining = drain().finally(() => {
      draining = null;
      if (pending.size > 0) kick();
    });
  }

  function wake(organizationId: string) {
    if (closed) return;
    pending.add(organizationId);
    queueMicrotask(kick);
  }

  async function sweep() {
    for (const org of await sweepTransfers(services)) pending.add(org);
    for (const org of await organizationsToDispatch(services.db)) pending.add(org);
    kick();
    await draining;
  }

  const unsubscribe = services.orgChanges.onChange((table, organizationId) => {
    if (table === "jobs" || table === "printers") wake(organizationId);
  });
  let sweeping: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (sweeping || closed) return;
    sweeping = sweep()
      .catch((error: unknown) => {
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "queue sweep failed; trying again shortly",
        );
      })
      .finally(() => {
        sweeping = null;
      });
  }, options.sweepMs ?? 1000);
  timer.unref();

  return {
    wake,
    runOnce: sweep,
    async close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await sweeping;
      await draining;
    },
  };
}

/**
 * One pass over an organization. Returns when to look again (start spacing), or null.
 */
export async function dispatchOrganization(
  services: Pick<Services, "db" | "clock" | "config" | "commandBus">,
  organizationId: string,
): Promise<number | null> {
  const { db, clock, config, commandBus } = services;
  const now = clock.now();
  const outcome = await db.transaction(async (tx) => {
    const org = await lockDispatch(tx, organizationId);
    // Another instance is on it (it reads after our change), or auto-start is off.
    if (!org?.autoStart) return { agents: [] as string[], retryInMs: null };
    const spacingMs = org.startSpacingSeconds * 1000;
    const since = org.lastAutoStartAt ? now.getTime() - org.lastAutoStartAt.getTime() : Infinity;
    const printers = await listQueuePrinters(tx, organizationId, {
      now,
      staleAfterS: config.APF_STALE_AFTER_S,
    });
    const head = await listQueueHead(tx, organizationId, HEAD_LIMIT);
    const free = printers.filter(dispatchable);
    const taken = new Set<string>();
    const agents: string[] = [];
    let retryInMs: number | null = null;
    for (const printer of free) {
      if (spacingMs > 0 && since < spacingMs) {
        retryInMs = spacingMs - since;
        break;
      }
      const job = head.find(
        (j) =>
          !taken.has(j.id) &&
          j.fileExists &&
          (j.assignedPrinterId === null || j.assignedPrinterId === printer.id) &&
          misfit(j, printer) === null,
      );
      if (!job) continue;
      if (await startInPass(tx, organizationId, job, printer, now)) {
        taken.add(job.id);
        agents.push(printer.agentId!);
        await recordAutoStart(tx, organizationId, now);
        // Spacing: one start per pass, the next one when the spacing has passed.
        if (spacingMs > 0) {
          retryInMs = spacingMs;
          break;
        }
      }
    }
    const reasons = new Map<string, string>();
    const waiting = head
      .filter((j) => !taken.has(j.id))
      .map((j) => ({
        id: j.id,
        reason: j.fileExists ? cachedReason(reasons, j, printers) : "the print file was deleted",
      }));
    await setWaitingReasons(tx, organizationId, waiting);
    return { agents, retryInMs };
  });
  for (const agentId of new Set(outcome.agents)) void commandBus.publish(agentTopic(agentId));
  return outcome.retryInMs;
}

/** Jobs with the same facts wait for the same reason: computed once per pass. */
function cachedReason(
  cache: Map<string, string>,
  job: JobFacts,
  printers: Parameters<typeof waitingReason>[1],
) {
  const key = JSON.stringify([
    job.assignedPrinterId,
    job.color,
    job.filamentType,
    job.materialType,
    job.filePrinterModel,
    job.fileNozzleDiameter,
  ]);
  let reason = cache.get(key);
  if (reason === undefined) {
    reason = waitingReason(job, printers);
    cache.set(key, reason);
  }
  return reason;
}

/** Starts one job in a savepoint: a printer that got a job meanwhile only skips this one. */
async function startInPass(
  tx: Transaction,
  organizationId: string,
  job: { id: string; fileName: string | null },
  printer: { id: string; agentId: string | null; machineId: string },
  now: Date,
) {
  try {
    return await tx.transaction(async (sp) => {
      const command = await startQueuedJob(sp, {
        organizationId,
        jobId: job.id,
        printerId: printer.id,
        agentId: printer.agentId!,
        machineId: printer.machineId,
        octoprintFileName: `apf/${octoprintFileName(job.fileName ?? "print.gcode", job.id)}`,
        requester: { type: "system", id: "dispatcher" },
        now,
        expiresAt: new Date(now.getTime() + PRINT_TAKE_TTL_MS),
      });
      if (!command) return false;
      await recordAudit(sp, SYSTEM_ACTOR, {
        organizationId,
        action: "job.started",
        target: { type: "job", id: job.id },
        details: { printer_id: printer.id, command_id: command.id, automatic: true },
      });
      return true;
    });
  } catch (error) {
    if (sqlState(error) === "23505") return false;
    throw error;
  }
}
