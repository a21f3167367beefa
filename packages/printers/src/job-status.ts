import { isJobStatus, type JobStatus } from "@apf/domain";

/**
 * The public `status` of a stored job. Ours are AutoPrintFarm's values already, so this only
 * narrows a stored string; an unknown value is a data bug and throws rather than leaking out.
 */
export function jobStatusToPublic(status: string): JobStatus {
  if (!isJobStatus(status)) throw new RangeError(`unknown job status: ${status}`);
  return status;
}

/** Seconds to whole minutes for `*_minutes` fields (null stays null). */
export function estimatedMinutes(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  return Math.max(0, Math.round(seconds / 60));
}

/** Whole minutes between two instants, e.g. `actual_print_time_minutes` of a closed job. */
export function minutesBetween(start: Date, end: Date): number {
  return Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000));
}
