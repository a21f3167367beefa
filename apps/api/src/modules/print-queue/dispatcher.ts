import type { Transaction } from "@apf/db";
import { sqlState } from "@apf/db";
import {
  listQueueHead,
  listQueuePrinters,
  listReadyPrinters,
  lockDispatch,
  organizationsToDispatch,
  queueSettings,
  recordAutoStart,
  setWaitingReasons,
  startQueuedJob,
} from "@apf/db/queries/print-queue";
import type { Services } from "../../context.ts";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.ts";
import { agentTopic } from "../control/bus.ts";
import { sweepExpiredUploads } from "../files/upload-expiry.ts";
import { dispatchable, type JobFacts, misfit, octoprintFileName, waitingReason } from "./rules.ts";
import { PRINT_TAKE_TTL_MS } from "./start.ts";
import { sweepTransfers } from "./transfer.ts";

/**
 * Lets the farm run itself: gives each ready printer of an organization with `auto_start` the
 * first queued job that fits it. Woken by the writes that can free a printer or a job (a bed
 * cleared, a printer idle again or its agent connected, a job queued, edited or back in the
 * queue: `wake`), and by a sweep every second as the backstop for anything else (another
 * instance that died, a write from outside the API). A pass first reads, in one statement, the
 * printers that could take a job; only when there is one does it lock the organization
 * (a transaction-scoped advisory lock, so with any number of API instances one pass runs at a
 * time, and a pass that dies mid-way commits nothing), read the head of the queue and start jobs.
 * Waiting reasons, which need every printer and the head of the queue, are written apart from
 * the passes, at most once a second per organization (and every 10 s from the sweep, as printers
 * go stale without any write).
 */
export interface Dispatcher {
  /** Something that may let this organization start a job changed: dispatch it soon (coalesced). */
  wake(organizationId: string): void;
  /**
   * One sweep now: the transfers' and uploads' sweeps, then one pass and the waiting reasons of
   * every organization with auto_start and queued jobs.
   */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

type DispatchServices = Pick<
  Services,
  "db" | "clock" | "config" | "commandBus" | "logger" | "fileStore"
>;

/** Jobs read per pass, in queue order: a printer takes the first that fits among them. */
const HEAD_LIMIT = 1000;
/** A woken pass that found another instance's pass under way looks again this soon. */
const BUSY_RETRY_MS = 50;
/**
 * Passes over one organization are at least this far apart: a burst of wakes (a thousand jobs
 * queued in a second) costs a pass per gap, not one per wake.
 */
const PASS_GAP_MS = 20;
/** Waiting reasons of an organization are written at most this often (per instance)... */
const REASONS_MIN_GAP_MS = 1000;
/** ...and at least this often while it has auto_start and queued jobs. */
const REASONS_MAX_AGE_MS = 10_000;
/** Expired uploads are swept this often. */
const UPLOAD_SWEEP_MS = 60_000;

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
  // Organizations to pass over: true when woken by a change (a busy lock is retried), false
  // when only the sweep asked (another instance's pass under way does the work).
  const pending = new Map<string, boolean>();
  // Organizations whose waiting reasons are due now, and when each was last written.
  const reasonsDue = new Set<string>();
  const reasonsWritten = new Map<string, number>();
  const reasonsTimers = new Map<string, NodeJS.Timeout>();
  const retryTimers = new Set<NodeJS.Timeout>();
  // When each organization's last pass began, and the wakes held until its gap is over.
  const lastPass = new Map<string, number>();
  const gapHeld = new Map<string, boolean>();
  let draining: Promise<void> | null = null;
  let closed = false;
  let lastUploadSweep = 0;

  const warn = (error: unknown, organizationId: string | null, message: string) =>
    logger.warn(
      {
        err: error,
        ...(organizationId ? { organization_id: organizationId } : {}),
      },
      message,
    );

  function later(fn: () => void, ms: number) {
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    retryTimers.add(timer);
  }

  /** Waiting reasons for the organization: now if they were not written within the gap. */
  function reasonsSoon(organizationId: string) {
    if (closed || reasonsDue.has(organizationId) || reasonsTimers.has(organizationId)) return;
    const wait = (reasonsWritten.get(organizationId) ?? 0) + REASONS_MIN_GAP_MS - Date.now();
    if (wait <= 0) {
      reasonsDue.add(organizationId);
      kick();
      return;
    }
    const timer = setTimeout(() => {
      reasonsTimers.delete(organizationId);
      reasonsDue.add(organizationId);
      kick();
    }, wait);
    timer.unref();
    reasonsTimers.set(organizationId, timer);
  }

  async function drain() {
    while ((pending.size > 0 || reasonsDue.size > 0) && !closed) {
      // Passes first: they start prints; reasons only describe the queue.
      if (pending.size > 0) {
        const batch = [...pending];
        pending.clear();
        for (const [organizationId, changed] of batch) {
          const sinceLast = Date.now() - (lastPass.get(organizationId) ?? 0);
          if (sinceLast < PASS_GAP_MS) {
            // One pass when the gap is over, for every wake meanwhile.
            const held = gapHeld.get(organizationId);
            if (held !== undefined) gapHeld.set(organizationId, held || changed);
            else {
              gapHeld.set(organizationId, changed);
              later(() => {
                const wasChanged = gapHeld.get(organizationId) ?? changed;
                gapHeld.delete(organizationId);
                wakeFor(organizationId, wasChanged);
              }, PASS_GAP_MS - sinceLast);
            }
            continue;
          }
          lastPass.set(organizationId, Date.now());
          try {
            const pass = await dispatchOrganization(services, organizationId);
            if (pass.busy) {
              if (changed) later(() => wakeFor(organizationId, true), BUSY_RETRY_MS);
            } else if (pass.retryInMs !== null) {
              later(() => wakeFor(organizationId, true), pass.retryInMs);
            }
            if (changed || pass.started > 0) reasonsSoon(organizationId);
          } catch (error) {
            warn(error, organizationId, "dispatch pass failed; the sweep retries");
          }
        }
        continue;
      }
      const [organizationId] = reasonsDue;
      reasonsDue.delete(organizationId!);
      reasonsWritten.set(organizationId!, Date.now());
      try {
        await writeWaitingReasons(services, organizationId!);
      } catch (error) {
        warn(error, organizationId!, "writing waiting reasons failed; the sweep retries");
      }
    }
  }

  function kick() {
    if (draining || closed) return;
    draining = drain().finally(() => {
      draining = null;
      if (pending.size > 0 || reasonsDue.size > 0) kick();
    });
  }

  function wakeFor(organizationId: string, changed: boolean) {
    if (closed) return;
    pending.set(organizationId, changed || (pending.get(organizationId) ?? false));
    queueMicrotask(kick);
  }

  /** The periodic sweep; `everything`: the uploads' too, and every waiting reason now. */
  async function sweep(everything: boolean) {
    const now = Date.now();
    // Only recent entries mean anything: an organization long quiet starts afresh.
    for (const [org, at] of lastPass) if (now - at > PASS_GAP_MS) lastPass.delete(org);
    for (const [org, at] of reasonsWritten) {
      if (now - at > REASONS_MAX_AGE_MS) reasonsWritten.delete(org);
    }
    for (const org of await sweepTransfers(services)) wakeFor(org, true);
    if (everything || Date.now() - lastUploadSweep >= UPLOAD_SWEEP_MS) {
      lastUploadSweep = Date.now();
      await sweepExpiredUploads(services);
    }
    for (const org of await organizationsToDispatch(services.db, services.clock.now())) {
      // Only where a printer may be free: a pass would find nothing elsewhere.
      if (org.ready) wakeFor(org.id, false);
      if (everything) reasonsDue.add(org.id);
      else if (Date.now() - (reasonsWritten.get(org.id) ?? 0) >= REASONS_MAX_AGE_MS) {
        reasonsSoon(org.id);
      }
    }
    kick();
  }

  let sweeping: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (sweeping || closed) return;
    // Not waiting for the passes it asked for: the next sweep comes in a second regardless.
    sweeping = sweep(false)
      .catch((error: unknown) => warn(error, null, "queue sweep failed; trying again shortly"))
      .finally(() => {
        sweeping = null;
      });
  }, options.sweepMs ?? 1000);
  timer.unref();

  return {
    wake: (organizationId) => wakeFor(organizationId, true),
    async runOnce() {
      await sweep(true);
      // Until every pass and reason this asked for is written (a quiet test's queue).
      while (draining) await draining;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      for (const t of reasonsTimers.values()) clearTimeout(t);
      for (const t of retryTimers) clearTimeout(t);
      await sweeping;
      await draining;
    },
  };
}

/** What one pass did: another instance's pass held the lock, jobs started, when to look again. */
export interface PassOutcome {
  busy: boolean;
  started: number;
  /** Start spacing: the next start is due in this many ms (null: nothing waits on time). */
  retryInMs: number | null;
}

const NOTHING: PassOutcome = { busy: false, started: 0, retryInMs: null };

/** One pass over an organization: starts the first fitting queued job on each ready printer. */
export async function dispatchOrganization(
  services: Pick<Services, "db" | "clock" | "config" | "commandBus">,
  organizationId: string,
): Promise<PassOutcome> {
  const { db, clock, config, commandBus } = services;
  const now = clock.now();
  const freshness = { now, staleAfterS: config.APF_STALE_AFTER_S };
  // Most passes end here, on one statement and no lock: no printer is free.
  if (!(await listReadyPrinters(db, organizationId, freshness)).some(dispatchable)) return NOTHING;
  const outcome = await db.transaction(async (tx) => {
    const org = await lockDispatch(tx, organizationId);
    if (!org) return { ...NOTHING, agents: [] as string[] };
    if (org.busy) return { ...NOTHING, busy: true, agents: [] as string[] };
    if (!org.autoStart) return { ...NOTHING, agents: [] as string[] };
    const spacingMs = org.startSpacingSeconds * 1000;
    const since = org.lastAutoStartAt ? now.getTime() - org.lastAutoStartAt.getTime() : Infinity;
    if (spacingMs > 0 && since < spacingMs) {
      return { ...NOTHING, retryInMs: spacingMs - since, agents: [] as string[] };
    }
    // Read again under the lock: what a pass of another instance just did is seen now.
    const free = (await listReadyPrinters(tx, organizationId, freshness)).filter(dispatchable);
    const head = free.length > 0 ? await listQueueHead(tx, organizationId, HEAD_LIMIT) : [];
    const taken = new Set<string>();
    const agents: string[] = [];
    let retryInMs: number | null = null;
    for (const printer of free) {
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
        // Spacing: one start per pass, the next one when the spacing has passed.
        if (spacingMs > 0) {
          await recordAutoStart(tx, organizationId, now);
          retryInMs = spacingMs;
          break;
        }
      }
    }
    return { busy: false, started: taken.size, retryInMs, agents };
  });
  for (const agentId of new Set(outcome.agents)) void commandBus.publish(agentTopic(agentId));
  return { busy: outcome.busy, started: outcome.started, retryInMs: outcome.retryInMs };
}

/**
 * Writes why each job at the head of an auto_start organization's queue waits, where that
 * changed. Reads every printer and the head of the queue; no lock (each write is to a job still
 * queued, and the next write corrects one a pass made stale meanwhile).
 */
export async function writeWaitingReasons(
  services: Pick<Services, "db" | "clock" | "config">,
  organizationId: string,
): Promise<void> {
  const { db, clock, config } = services;
  if (!(await queueSettings(db, organizationId))?.autoStart) return;
  const head = await listQueueHead(db, organizationId, HEAD_LIMIT);
  if (head.length === 0) return;
  const printers = await listQueuePrinters(db, organizationId, {
    now: clock.now(),
    staleAfterS: config.APF_STALE_AFTER_S,
  });
  const reasons = new Map<string, string>();
  const changed: { id: string; reason: string }[] = [];
  for (const job of head) {
    const reason = job.fileExists
      ? cachedReason(reasons, job, printers)
      : "the print file was deleted";
    if (reason !== job.waitingReason) changed.push({ id: job.id, reason });
  }
  await setWaitingReasons(db, organizationId, changed);
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
