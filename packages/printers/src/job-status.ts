/** A job's status in the public API (AutoPrintFarm's values). */
export type JobStatus = "queued" | "printing" | "paused" | "completed" | "failed" | "cancelled";

/** Every job status. */
export const JOB_STATUSES: readonly JobStatus[] = [
  "queued",
  "printing",
  "paused",
  "completed",
  "failed",
  "cancelled",
];

/** True for a job status the public API knows. */
export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

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
