/** Options of one simulated print. */
export interface PrintOptions {
  /** Seconds of printing after the heat-up (completion goes 0 → 100 over them). Default 60. */
  durationS?: number;
  /** Seconds of heat-up at completion 0. Default 10. */
  heatS?: number;
  /** Fail with a firmware error half-way through (or at `failAtPercent`). */
  fail?: boolean;
  failAtPercent?: number;
  /** Size of the file in bytes (an uploaded file's real size); default derived from the duration. */
  sizeBytes?: number;
  /** When the file was stored, epoch ms; default the start of the run. */
  fileDate?: number;
}

/** The print job that is (or was last) selected; OctoPrint keeps the file selected after it. */
export interface Run {
  fileName: string;
  startedAt: number;
  heatMs: number;
  durationMs: number;
  failAtMs: number | null;
  /** Print-clock milliseconds accumulated before the current phase began. */
  printMs: number;
  outcome: "done" | "cancelled" | "failed" | null;
  sizeBytes: number | null;
  fileDate: number;
  /** False while the file is only selected (uploaded with `select` but not `print`). */
  started: boolean;
}

/** Error text a failing simulated print reports, as Marlin's kill message reads in OctoPrint. */
export const SIMULATED_FAILURE = "Thermal Runaway, system stopped! Heater_ID: 0";

/** A new run of `fileName` started at `t`. */
export function createRun(fileName: string, opts: PrintOptions, t: number): Run {
  const heatMs = Math.max(0, (opts.heatS ?? 10) * 1000);
  const durationMs = Math.max(1, (opts.durationS ?? 60) * 1000);
  const failAt = opts.failAtPercent ?? (opts.fail ? 50 : null);
  const failShare = failAt === null ? null : Math.min(Math.max(failAt, 0), 99) / 100;
  return {
    fileName,
    startedAt: t,
    heatMs,
    durationMs,
    failAtMs: failShare === null ? null : heatMs + durationMs * failShare,
    printMs: 0,
    outcome: null,
    sizeBytes: opts.sizeBytes ?? null,
    fileDate: opts.fileDate ?? t,
    started: true,
  };
}

/** A command whose preconditions do not hold; the HTTP layer answers it with 409 as OctoPrint does. */
export class SimulatorConflict extends Error {
  override name = "SimulatorConflict";
}
