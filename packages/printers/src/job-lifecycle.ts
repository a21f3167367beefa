import type { PrinterStatus } from "@apf/domain";
import type { NormalizedJob, NormalizedMachine } from "./normalize.ts";
import { isJobActiveStatus } from "./printer-status.ts";

export { estimatedMinutes, jobStatusToPublic, minutesBetween } from "./job-status.ts";

/** Progress at or above which a print that stops without error or cancel counts as completed. */
export const COMPLETED_PROGRESS = 99.5;
// OctoPrint's completion only grows during one print; a drop larger than this means a new print.
const PROGRESS_REGRESSION = 1;

/** The printer's job that the backend has open. */
export interface OpenJob {
  fileName: string | null;
  status: "printing" | "paused";
  startedAt: Date;
  lastProgress: number | null;
  /**
   * The printer's status at the previous accepted observation. Optional, but pass it when known:
   * it is how a cancel that OctoPrint reports as a plain return to idle is told apart.
   */
  lastPrinterStatus?: PrinterStatus | null;
}

/** A job to create. */
export interface JobOpenPayload {
  fileName: string | null;
  status: "printing" | "paused";
  progress: number | null;
  startedAt: Date;
  estimatedPrintTimeS: number | null;
  printTimeS: number | null;
}

/** New values for the open job. */
export interface JobUpdatePayload {
  status: "printing" | "paused";
  progress: number | null;
  estimatedPrintTimeS: number | null;
  printTimeS: number | null;
  printTimeLeftS: number | null;
}

/** How the open job ends. */
export interface JobClosePayload {
  status: "completed" | "cancelled" | "failed";
  failureReason: string | null;
  progress: number | null;
  completedAt: Date;
}

/** What the backend must do with the printer's job after one observation. */
export type JobTransition =
  | { kind: "none" }
  | { kind: "open"; job: JobOpenPayload }
  | { kind: "update"; job: JobUpdatePayload }
  | { kind: "close"; close: JobClosePayload; then?: JobOpenPayload };

/** `failureReason` values set here (an OctoPrint error keeps OctoPrint's text). */
export const FAILURE_REASONS = {
  superseded: "superseded",
  disconnected: "printer_disconnected",
  printerError: "printer_error",
} as const;

/**
 * The job transition one observation implies. Pure. Rules, in order:
 *
 * 1. State unknown (`online: false`: host unreachable, key refused, no state) → none; a job is
 *    never closed on what we did not see.
 * 2. No open job: a job-active status (printing, pausing, paused, cancelling) with a file → open.
 * 3. Open job, still active: a different file, or completion dropping (a restart), closes the old
 *    job (completed if it had reached 99.5 %, else cancelled "superseded") and opens the new one;
 *    otherwise → update.
 * 4. Open job, printer left the active statuses:
 *    - error → failed with OctoPrint's error text;
 *    - offline (409, disconnected) → completed if it had reached 99.5 %, else failed
 *      "printer_disconnected";
 *    - idle → completed if OctoPrint reports 100 % for the same file; cancelled if the previous
 *      status was cancelling; completed if it had reached 99.5 %; else cancelled (OctoPrint
 *      resets the progress to null after a cancel).
 */
export function nextJobTransition(open: OpenJob | null, m: NormalizedMachine): JobTransition {
  if (!m.online) return { kind: "none" };
  const current = m.job;
  const active = isJobActiveStatus(m.status);

  if (!open) {
    if (active && current?.fileName) return { kind: "open", job: openPayload(m, current) };
    return { kind: "none" };
  }

  if (active) {
    if (current && isReplacement(open, current)) {
      return {
        kind: "close",
        close: endOfReplaced(open, m.observedAt),
        // biome-ignore lint/suspicious/noThenProperty: the field name is the agreed contract; a non-function `then` is not a thenable
        ...(current.fileName ? { then: openPayload(m, current) } : {}),
      };
    }
    return {
      kind: "update",
      job: {
        status: m.status === "paused" ? "paused" : "printing",
        progress: current?.progress ?? open.lastProgress,
        estimatedPrintTimeS: current?.estimatedPrintTimeS ?? null,
        printTimeS: current?.printTimeS ?? null,
        printTimeLeftS: current?.printTimeLeftS ?? null,
      },
    };
  }

  const progressNow = current?.progress ?? open.lastProgress;
  const close = (
    status: JobClosePayload["status"],
    failureReason: string | null,
    progress = progressNow,
  ) =>
    ({
      kind: "close",
      close: { status, failureReason, progress, completedAt: m.observedAt },
    }) as const;
  const reachedEnd = (open.lastProgress ?? 0) >= COMPLETED_PROGRESS;

  switch (m.status) {
    case "error":
      return close("failed", m.errorText ?? FAILURE_REASONS.printerError);
    case "offline":
      return reachedEnd
        ? close("completed", null, 100)
        : close("failed", FAILURE_REASONS.disconnected);
    default: {
      const sameFile = current !== null && sameFileName(open.fileName, current.fileName);
      if (sameFile && (current?.progress ?? 0) >= 100) return close("completed", null, 100);
      if (open.lastPrinterStatus === "cancelling") return close("cancelled", null);
      if (reachedEnd) return close("completed", null, 100);
      return close("cancelled", null);
    }
  }
}

function openPayload(m: NormalizedMachine, job: NormalizedJob): JobOpenPayload {
  // OctoPrint's printTime counts from the start of the print, so the start is that far back
  const startedAt =
    job.printTimeS === null
      ? m.observedAt
      : new Date(m.observedAt.getTime() - job.printTimeS * 1000);
  return {
    fileName: job.fileName,
    status: m.status === "paused" ? "paused" : "printing",
    progress: job.progress,
    startedAt,
    estimatedPrintTimeS: job.estimatedPrintTimeS,
    printTimeS: job.printTimeS,
  };
}

function sameFileName(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

function isReplacement(open: OpenJob, current: NormalizedJob): boolean {
  if (!sameFileName(open.fileName, current.fileName)) return true;
  const before = open.lastProgress;
  const now = current.progress;
  return before !== null && now !== null && now + PROGRESS_REGRESSION < before;
}

function endOfReplaced(open: OpenJob, at: Date): JobClosePayload {
  // a farm's queue can finish one print and start the next between two polls
  if ((open.lastProgress ?? 0) >= COMPLETED_PROGRESS) {
    return { status: "completed", failureReason: null, progress: 100, completedAt: at };
  }
  return {
    status: "cancelled",
    failureReason: FAILURE_REASONS.superseded,
    progress: open.lastProgress,
    completedAt: at,
  };
}
