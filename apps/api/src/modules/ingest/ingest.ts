import { randomUUID } from "node:crypto";
import type { Database } from "@apf/db";
import {
  countCompletedJobs,
  type FailedHandover,
  insertAgentPrinters,
  insertJobs,
  type JobEnd,
  type JobInsert,
  type JobLink,
  type JobUpdate,
  linkQueuedJobs,
  loadSkusWithPrintFile,
  openAgentReport,
  type PrinterWrite,
  recordJobEnds,
  type StoredMachine,
  updateAgentPrinters,
  updateJobs,
} from "@apf/db/queries/ingest";
import { deferredOrgChanges, orgChange } from "@apf/db/queries/org-changes";
import { failHandover } from "@apf/db/queries/print-queue";
import {
  type AgentReport,
  estimatedMinutes,
  type JobOpenPayload,
  type JobTransition,
  MAX_PRINTERS_PER_AGENT,
  matchSku,
  minutesBetween,
  type NormalizedMachine,
  nextJobTransition,
  normalizeMachine,
} from "@apf/printers";
import { DomainError } from "../../domain-error.ts";
import { recordIngestEvents } from "../events/ingest-events.ts";

/** Agents' clocks drift; an observation is never taken to be later than we received it. */
const MAX_CLOCK_SKEW_MS = 5_000;
/** How long OctoPrint may take to show a print it was told to start before the start counts as failed. */
const UPLOADED_START_GRACE_MS = 120_000;

export interface IngestSummary {
  machines: number;
  applied: number;
  /** Older than (or as old as) what was stored: a late or repeated report. */
  ignored_stale: number;
  printers_created: number;
  jobs_opened: number;
  jobs_closed: number;
  units_counted: number;
}

type Sku = Awaited<ReturnType<typeof loadSkusWithPrintFile>>[number];

/** What a report tells the print queue's dispatcher. */
export interface IngestQueueHook {
  /** Called after the commit when a printer became idle or a handed-over job went back to the queue. */
  wake(): void;
}

/**
 * Applies one agent report: normalises every machine (pure), then writes printers, jobs and stock
 * in one transaction of bulk statements, with the events of what changed (ingest-events.ts:
 * statuses, not every temperature). Nothing of a report is applied if any write fails. The
 * transaction's change notifications are handed to `announce` once it has committed (with other
 * reports' in one NOTIFY, services/org-changes.ts) instead of each commit notifying: notifying
 * commits queue on a database-wide lock, which made the agents of one farm wait for each other.
 */
export async function ingestReport(
  db: Database,
  agent: { agentId: string; organizationId: string },
  report: AgentReport,
  at: { receivedAt: Date; staleAfterS: number },
  announce: (payloads: readonly string[]) => void,
  queue?: IngestQueueHook,
): Promise<IngestSummary> {
  const { receivedAt } = at;
  const latest = receivedAt.getTime() + MAX_CLOCK_SKEW_MS;
  const machines = report.machines.map((m) => {
    const n = normalizeMachine(m);
    return n.observedAt.getTime() > latest ? { ...n, observedAt: new Date(latest) } : n;
  });

  const { summary, changes, freed } = await db.transaction(async (tx) => {
    const agentPrinters = await openAgentReport(tx, agent.agentId);
    const stored = new Map(agentPrinters.map((s) => [s.machineId, s]));
    const created = machines.filter((m) => !stored.has(m.machineId)).length;
    if (created > 0) {
      const existing = new Set(
        agentPrinters
          .filter((s) => s.organizationId === agent.organizationId)
          .map((s) => s.printerId),
      ).size;
      if (existing + created > MAX_PRINTERS_PER_AGENT) {
        throw new DomainError(
          "CONFLICT",
          `An agent may report at most ${MAX_PRINTERS_PER_AGENT} printers; this one has ${existing} and the report adds ${created}. Nothing was applied.`,
        );
      }
    }
    const fresh = machines.filter((m) => {
      const known = stored.get(m.machineId)?.observedAt;
      return !known || known < m.observedAt;
    });

    const transitions = fresh.map((m) => transitionOf(m, stored.get(m.machineId), receivedAt));
    const needsSkus = transitions.some((t) => t.kind === "open" || t.kind === "close");
    const candidates = needsSkus ? await loadSkusWithPrintFile(tx, agent.organizationId) : [];
    const plan = planWrites(fresh, transitions, stored, candidates, receivedAt);

    const { version, hostname } = report.agent;
    const updated = await updateAgentPrinters(
      tx,
      { agentId: agent.agentId, at: receivedAt, version, hostname },
      plan.printers.filter((p) => stored.has(p.machineId)),
    );
    const added = plan.printers.filter((p) => !stored.has(p.machineId));
    await insertAgentPrinters(tx, { ...agent, at: receivedAt }, added);
    // Handed-over jobs that did not begin leave the printer before anything else opens on it
    // (rare: one statement each, the queue's own rule for a failed transfer).
    const requeued: { id: string; status: string }[] = [];
    for (const failed of plan.failedHandovers) {
      const row = await failHandover(tx, agent.organizationId, failed.id, failed.error, receivedAt);
      if (row) requeued.push(row);
    }
    const linked = await linkQueuedJobs(tx, agent.organizationId, plan.jobLinks);
    await updateJobs(tx, agent.organizationId, plan.jobUpdates);
    await insertJobs(tx, agent.organizationId, plan.jobInserts);
    const units = await countCompletedJobs(tx, agent.organizationId, plan.completed);
    const tasks = await recordJobEnds(tx, agent.organizationId, plan.ends);
    const eventsRecorded = await recordIngestEvents(tx, agent, {
      agentConnected: updated.agentConnected,
      statusChanged: updated.statusChanged.flatMap((id) => {
        const known = agentPrinters.find((s) => s.printerId === id);
        return known ? [{ id, previous: known.announcedStatus }] : [];
      }),
      readingsChanged: updated.readingsChanged,
      requeued,
      started: [
        ...plan.jobInserts.map((j) => j.id),
        ...plan.jobLinks.filter((l) => linked.has(l.id)).map((l) => l.id),
      ],
      updates: plan.jobUpdates,
      progressed: plan.progressed,
      tasks,
      freshness: { now: receivedAt, staleAfterS: at.staleAfterS },
    });

    const summary: IngestSummary = {
      machines: machines.length,
      applied: fresh.length,
      ignored_stale: machines.length - fresh.length,
      printers_created: added.length,
      jobs_opened: plan.jobInserts.length + plan.jobLinks.length,
      jobs_closed: plan.jobUpdates.filter((u) => u.timeCompleted !== null).length,
      units_counted: units,
    };
    // Only a change that can free a printer or a job wakes the queue, not every report.
    const staleMs = at.staleAfterS * 1000;
    const freed =
      plan.failedHandovers.length > 0 ||
      fresh.some((m) => {
        if (m.status !== "idle") return false;
        const known = stored.get(m.machineId);
        return (
          known?.status !== "idle" ||
          !known.observedAt ||
          m.observedAt.getTime() - known.observedAt.getTime() > staleMs
        );
      });
    // A report that wrote only its printers (most do) deferred exactly their organizations'
    // "printers:" changes: known without reading them back. Anything else is read back.
    const printersOnly =
      added.length === 0 &&
      plan.failedHandovers.length === 0 &&
      plan.jobLinks.length === 0 &&
      plan.jobUpdates.length === 0 &&
      plan.jobInserts.length === 0 &&
      plan.completed.length === 0 &&
      plan.ends.length === 0 &&
      eventsRecorded === 0;
    const changes = printersOnly
      ? updated.organizations.map((org) => orgChange("printers", org))
      : await deferredOrgChanges(tx);
    return { summary, changes, freed };
  });
  announce(changes);
  if (freed) queue?.wake();
  return summary;
}

/** What a machine's observation does to its open job (see `nextJobTransition`). */
function transitionOf(
  m: NormalizedMachine,
  known: StoredMachine | undefined,
  receivedAt: Date,
): JobTransition {
  const open = known?.openJob ?? null;
  return nextJobTransition(
    open && {
      fileName: open.fileName,
      status: open.status,
      startedAt: open.timeStarted ?? receivedAt,
      lastProgress: open.progress,
      lastPrinterStatus: known?.status ?? null,
    },
    m,
  );
}

interface Plan {
  printers: PrinterWrite[];
  jobInserts: JobInsert[];
  jobUpdates: JobUpdate[];
  /** Queued jobs the printer has begun printing. */
  jobLinks: JobLink[];
  /** Queued jobs handed to a printer that began something else, or never began them. */
  failedHandovers: FailedHandover[];
  completed: { jobId: string; skuId: string; units: number; at: Date }[];
  /** Jobs that ended on a printer: beds to clear, collection tasks to create. */
  ends: JobEnd[];
  /** Open jobs whose progress passed a tenth (job.progress). */
  progressed: string[];
}

/** The name OctoPrint shows for a file apf stored as `apf/<name>`: the last path segment. */
function octoprintBaseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function isPendingFile(pending: StoredMachine["pendingJob"], fileName: string | null): boolean {
  if (!pending?.octoprintFileName || fileName === null) return false;
  return (
    fileName === pending.octoprintFileName ||
    octoprintBaseName(fileName) === octoprintBaseName(pending.octoprintFileName)
  );
}

/** Decides every write of a report from the stored state and the observations. Pure. */
function planWrites(
  machines: NormalizedMachine[],
  transitions: JobTransition[],
  stored: Map<string, StoredMachine>,
  skus: Sku[],
  receivedAt: Date,
): Plan {
  const plan: Plan = {
    printers: [],
    jobInserts: [],
    jobUpdates: [],
    jobLinks: [],
    failedHandovers: [],
    completed: [],
    ends: [],
    progressed: [],
  };
  machines.forEach((m, index) => {
    const known = stored.get(m.machineId);
    const printerId = known?.printerId ?? randomUUID();
    const open = known?.openJob ?? null;
    let pending = known?.pendingJob ?? null;
    let currentJobId = open?.id ?? null;
    let progress = open?.progress ?? null;
    const transition = transitions[index]!;

    const openJob = (payload: JobOpenPayload) => {
      if (pending && isPendingFile(pending, payload.fileName)) {
        // The queued job handed to this printer has begun: it is the job, not a new one.
        plan.jobLinks.push({
          id: pending.id,
          status: payload.status,
          progressPercentage: payload.progress,
          estimatedPrintTimeMinutes: estimatedMinutes(payload.estimatedPrintTimeS),
          timeStarted: payload.startedAt,
        });
        currentJobId = pending.id;
        progress = payload.progress;
        pending = null;
        return;
      }
      if (pending) {
        plan.failedHandovers.push({
          id: pending.id,
          error: `The printer began another print (${payload.fileName ?? "unnamed"}) before this job's.`,
        });
        pending = null;
      }
      const sku = matchSku(payload.fileName, skus);
      const id = randomUUID();
      plan.jobInserts.push({
        id,
        printerId,
        status: payload.status,
        fileName: payload.fileName,
        productSkuId: sku?.id ?? null,
        numberOfUnits: sku?.unitsPerPrint ?? 1,
        color: sku?.color ?? null,
        materialType: sku?.material ?? null,
        progressPercentage: payload.progress,
        estimatedPrintTimeMinutes: estimatedMinutes(payload.estimatedPrintTimeS),
        timeStarted: payload.startedAt,
      });
      currentJobId = id;
      progress = payload.progress;
    };

    switch (transition.kind) {
      case "open":
        openJob(transition.job);
        break;
      case "update": {
        const { job } = transition;
        const estimated = estimatedMinutes(job.estimatedPrintTimeS);
        // Most reports of a running print change nothing of its job (OctoPrint's percentage
        // moves every few minutes): such a job is left as it is (updateJobs would leave it too).
        if (
          job.status !== open!.status ||
          (job.progress ?? open!.progress) !== open!.progress ||
          (estimated ?? open!.estimatedMinutes) !== open!.estimatedMinutes ||
          open!.failureReason !== null
        ) {
          plan.jobUpdates.push({
            id: open!.id,
            status: job.status,
            progressPercentage: job.progress,
            estimatedPrintTimeMinutes: estimated,
            actualPrintTimeMinutes: null,
            failureReason: null,
            timeCompleted: null,
          });
        }
        if (passedTenth(open!.progress, job.progress)) plan.progressed.push(open!.id);
        progress = job.progress;
        break;
      }
      case "close": {
        const { close } = transition;
        plan.jobUpdates.push({
          id: open!.id,
          status: close.status,
          progressPercentage: close.progress,
          estimatedPrintTimeMinutes: null,
          actualPrintTimeMinutes: open!.timeStarted
            ? minutesBetween(open!.timeStarted, close.completedAt)
            : null,
          failureReason: close.failureReason,
          timeCompleted: close.completedAt,
        });
        plan.ends.push({
          jobId: open!.id,
          printerId,
          status: close.status,
          fileName: open!.fileName,
          failureReason: close.failureReason,
          at: close.completedAt,
        });
        if (close.status === "completed") {
          const skuId = open!.productSkuId ?? matchSku(open!.fileName, skus)?.id ?? null;
          const units =
            open!.productSkuId !== null
              ? open!.numberOfUnits
              : (skus.find((s) => s.id === skuId)?.unitsPerPrint ?? 1);
          if (skuId) plan.completed.push({ jobId: open!.id, skuId, units, at: close.completedAt });
        }
        currentJobId = null;
        progress = null;
        if (transition.then) openJob(transition.then);
        break;
      }
      case "none":
        if (pending) settleQuietHandover(pending, m, printerId, receivedAt, plan);
        break;
    }

    plan.printers.push({
      id: printerId,
      machineId: m.machineId,
      name: m.name,
      status: m.status,
      sourceUrl: m.url,
      sourceVersion: m.octoprintVersion,
      reachable: m.reachable,
      lastError: m.error,
      temperatures: m.temperatures,
      progressPercentage: currentJobId ? (m.job?.progress ?? progress) : null,
      printTimeLeftS: currentJobId ? wholeSeconds(m.job?.printTimeLeftS) : null,
      currentJobId,
      observedAt: m.observedAt,
      announce: known !== undefined && known.announcedStatus !== m.status,
    });
  });
  return plan;
}

/** Progress moved into a later tenth (0–9 %, 10–19 %, …): job.progress, at most ten per print. */
function passedTenth(before: number | null, after: number | null): boolean {
  if (after === null) return false;
  return Math.floor(Math.min(after, 100) / 10) > Math.floor(Math.min(before ?? 0, 100) / 10);
}

/**
 * A handed-over job while the printer shows no print: a tiny print may have begun and finished
 * between two reports (OctoPrint shows the file at 100 %: completed); an uploaded job OctoPrint
 * still does not show after a grace period did not start (back to the queue).
 */
function settleQuietHandover(
  pending: NonNullable<StoredMachine["pendingJob"]>,
  m: NormalizedMachine,
  printerId: string,
  receivedAt: Date,
  plan: Plan,
): void {
  if (pending.status !== "uploaded" || !m.online || m.status !== "idle") return;
  if (isPendingFile(pending, m.job?.fileName ?? null) && (m.job?.progress ?? 0) >= 100) {
    const startedAt = pending.dispatchedAt ?? m.observedAt;
    plan.jobLinks.push({
      id: pending.id,
      status: "printing",
      progressPercentage: 100,
      estimatedPrintTimeMinutes: null,
      timeStarted: startedAt,
    });
    plan.jobUpdates.push({
      id: pending.id,
      status: "completed",
      progressPercentage: 100,
      estimatedPrintTimeMinutes: null,
      actualPrintTimeMinutes: minutesBetween(startedAt, m.observedAt),
      failureReason: null,
      timeCompleted: m.observedAt,
    });
    if (pending.productSkuId) {
      plan.completed.push({
        jobId: pending.id,
        skuId: pending.productSkuId,
        units: pending.numberOfUnits,
        at: m.observedAt,
      });
    }
    plan.ends.push({
      jobId: pending.id,
      printerId,
      status: "completed",
      fileName: m.job?.fileName ?? null,
      failureReason: null,
      at: m.observedAt,
    });
    return;
  }
  const since = pending.dispatchedAt?.getTime() ?? receivedAt.getTime();
  if (receivedAt.getTime() - since > UPLOADED_START_GRACE_MS) {
    plan.failedHandovers.push({
      id: pending.id,
      error: "OctoPrint accepted the file but never showed the print as started.",
    });
  }
}

/** OctoPrint's seconds as a whole number, or null when it has none. */
function wholeSeconds(seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined || !Number.isFinite(seconds)
    ? null
    : Math.max(0, Math.round(seconds));
}
