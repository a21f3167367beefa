import type { Job } from "../../api/types.ts";

/** How long a print has run and how long it has left, from its job and its progress. */
export interface PrintTiming {
  printedSeconds: number | null;
  leftSeconds: number | null;
  /** When it should end, or null when nothing says. */
  eta: Date | null;
}

/**
 * Time left from the progress so far (elapsed × remaining / done) once there is some, else from
 * the slicer's estimate; nothing without a start time.
 */
export function printTiming(
  job: Job | undefined,
  progress: number | null,
  now: number,
): PrintTiming {
  if (!job?.time_started) return { printedSeconds: null, leftSeconds: null, eta: null };
  const printed = Math.max(0, (now - Date.parse(job.time_started)) / 1000);
  let left: number | null = null;
  if (progress !== null && progress >= 1 && progress < 100) {
    left = (printed * (100 - progress)) / progress;
  } else if (job.estimated_print_time_minutes !== null) {
    left = Math.max(0, job.estimated_print_time_minutes * 60 - printed);
  }
  return {
    printedSeconds: printed,
    leftSeconds: left,
    eta: left === null ? null : new Date(now + left * 1000),
  };
}
