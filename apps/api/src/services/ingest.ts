import { randomUUID } from "node:crypto";
import type { Database } from "@apf/db";
import {
  countCompletedJobs,
  insertAgentPrinters,
  insertJobs,
  type JobInsert,
  type JobUpdate,
  loadAgentPrinters,
  loadSkusWithPrintFile,
  lockAgentReports,
  type PrinterWrite,
  type StoredMachine,
  updateAgentPrinters,
  updateJobs,
} from "@apf/db/queries/ingest";
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
import { ApiError } from "../errors.ts";

/** Agents' clocks drift; an observation is never taken to be later than we received it. */
const MAX_CLOCK_SKEW_MS = 5_000;

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

/**
 * Applies one agent report: normalises every machine (pure), then writes printers, jobs and stock
 * in one transaction of bulk statements. Nothing of a report is applied if any write fails.
 */
export async function ingestReport(
  db: Database,
  agent: { agentId: string; organizationId: string },
  report: AgentReport,
  receivedAt: Date,
): Promise<IngestSummary> {
  const latest = receivedAt.getTime() + MAX_CLOCK_SKEW_MS;
  const machines = report.machines.map((m) => {
    const n = normalizeMachine(m);
    return n.observedAt.getTime() > latest ? { ...n, observedAt: new Date(latest) } : n;
  });

  return db.transaction(async (tx) => {
    await lockAgentReports(tx, agent.agentId);
    const agentPrinters = await loadAgentPrinters(tx, agent.agentId);
    const stored = new Map(agentPrinters.map((s) => [s.machineId, s]));
    const created = machines.filter((m) => !stored.has(m.machineId)).length;
    if (created > 0) {
      const existing = new Set(
        agentPrinters
          .filter((s) => s.organizationId === agent.organizationId)
          .map((s) => s.printerId),
      ).size;
      if (existing + created > MAX_PRINTERS_PER_AGENT) {
        throw new ApiError(
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
    const plan = planWrites(fresh, transitions, stored, candidates);

    const { version, hostname } = report.agent;
    await updateAgentPrinters(
      tx,
      { agentId: agent.agentId, at: receivedAt, version, hostname },
      plan.printers.filter((p) => stored.has(p.machineId)),
    );
    const added = plan.printers.filter((p) => !stored.has(p.machineId));
    await insertAgentPrinters(tx, { ...agent, at: receivedAt }, added);
    await updateJobs(tx, agent.organizationId, plan.jobUpdates);
    await insertJobs(tx, agent.organizationId, plan.jobInserts);
    const units = await countCompletedJobs(tx, agent.organizationId, plan.completed);

    return {
      machines: machines.length,
      applied: fresh.length,
      ignored_stale: machines.length - fresh.length,
      printers_created: added.length,
      jobs_opened: plan.jobInserts.length,
      jobs_closed: plan.jobUpdates.filter((u) => u.timeCompleted !== null).length,
      units_counted: units,
    };
  });
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
  completed: { jobId: string; skuId: string; units: number; at: Date }[];
}

/** Decides every write of a report from the stored state and the observations. Pure. */
function planWrites(
  machines: NormalizedMachine[],
  transitions: JobTransition[],
  stored: Map<string, StoredMachine>,
  skus: Sku[],
): Plan {
  const plan: Plan = { printers: [], jobInserts: [], jobUpdates: [], completed: [] };
  machines.forEach((m, index) => {
    const known = stored.get(m.machineId);
    const printerId = known?.printerId ?? randomUUID();
    const open = known?.openJob ?? null;
    let currentJobId = open?.id ?? null;
    let progress = open?.progress ?? null;
    const transition = transitions[index]!;

    const openJob = (payload: JobOpenPayload) => {
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
      case "update":
        plan.jobUpdates.push({
          id: open!.id,
          status: transition.job.status,
          progressPercentage: transition.job.progress,
          estimatedPrintTimeMinutes: estimatedMinutes(transition.job.estimatedPrintTimeS),
          actualPrintTimeMinutes: null,
          failureReason: null,
          timeCompleted: null,
        });
        progress = transition.job.progress;
        break;
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
    });
  });
  return plan;
}

/** OctoPrint's seconds as a whole number, or null when it has none. */
function wholeSeconds(seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined || !Number.isFinite(seconds)
    ? null
    : Math.max(0, Math.round(seconds));
}
