import type { PrinterStatus } from "@apf/domain";
import { isHeaterKey, type JobResponse } from "./octoprint/schemas.ts";
import { statusFromFlags } from "./printer-status.ts";
import type { MachineReport } from "./report-schema.ts";

/** A heater reading as the public API shows it. */
export interface TemperatureReading {
  actual: number | null;
  target: number | null;
}

/** The current job as OctoPrint reports it, in our units (percent, seconds). */
export interface NormalizedJob {
  fileName: string | null;
  /** 0–100, or null when OctoPrint has none (e.g. after a cancel). */
  progress: number | null;
  printTimeS: number | null;
  printTimeLeftS: number | null;
  estimatedPrintTimeS: number | null;
}

/** One machine of a report, reduced to what the backend stores. */
export interface NormalizedMachine {
  machineId: string;
  name: string;
  url: string;
  observedAt: Date;
  /** The host answered at all. */
  reachable: boolean;
  /** Why the printer's state is missing or degraded; null when all is well. */
  error: string | null;
  status: PrinterStatus;
  /** We know the printer's current state from OctoPrint (see `normalizeMachine`). */
  online: boolean;
  /** OctoPrint's server version, e.g. "1.3.10". */
  octoprintVersion: string | null;
  /** `toolN`, `bed` and `chamber` as reported, without history. */
  temperatures: Record<string, TemperatureReading>;
  job: NormalizedJob | null;
  /** OctoPrint's error text when status is "error". */
  errorText: string | null;
}

/** `error` codes set by normalisation (an unreachable host keeps the agent's own text). */
export const MACHINE_ERRORS = {
  unreachable: "host_unreachable",
  authFailed: "octoprint_auth_failed",
  notOperational: "printer_not_operational",
  noData: "octoprint_no_data",
  stateMissing: "printer_state_missing",
} as const;

/**
 * Turns one reported machine into our model. Pure: same input, same output.
 *
 * - Host unreachable → offline, `online: false`, `error` = the agent's text.
 * - 401/403 → offline, `online: false`, `error: "octoprint_auth_failed"`: the state is unknown.
 * - 409 → OctoPrint answered that the printer is not operational: `online: true` (we do know its
 *   state) with `error: "printer_not_operational"` and status offline, or status error when
 *   `/api/job` carries an `error` text (OctoPrint answers 409 in its error states too, so the job's
 *   structured `error` field is the only place the error shows).
 * - 200 → status from `state.flags` (see `statusFromFlags`), `online: true`.
 * - Any other status, or a missing body → offline, `online: false`, with an error code.
 */
export function normalizeMachine(m: MachineReport): NormalizedMachine {
  const op = m.octoprint;
  const base: MachineBase = {
    machineId: m.machine_id,
    name: m.name,
    url: m.url,
    observedAt: new Date(m.observed_at),
    reachable: m.reachable,
    octoprintVersion: nonEmpty(op?.version?.server),
  };

  if (!m.reachable) return unknownState(base, nonEmpty(m.error) ?? MACHINE_ERRORS.unreachable);
  if (!op) return unknownState(base, nonEmpty(m.error) ?? MACHINE_ERRORS.noData);
  const http = op.printer_http_status;
  if (http === 401 || http === 403) return unknownState(base, MACHINE_ERRORS.authFailed);
  const job = op.job ? normalizeJob(op.job) : null;

  if (http === 409) {
    const jobError = nonEmpty(op.job?.error);
    const status = jobError ? "error" : "offline";
    return withState(base, MACHINE_ERRORS.notOperational, status, true, {}, job, jobError);
  }
  if (http !== 200) {
    return unknownState(base, nonEmpty(m.error) ?? `octoprint_http_${http ?? "none"}`);
  }
  const state = op.printer?.state;
  if (!state) return unknownState(base, MACHINE_ERRORS.stateMissing);

  const status = statusFromFlags(state.flags);
  const errorText = status === "error" ? (nonEmpty(state.error) ?? nonEmpty(op.job?.error)) : null;
  const temperatures = temperaturesOf(op.printer?.temperature);
  return withState(base, nonEmpty(m.error), status, true, temperatures, job, errorText);
}

type MachineBase = Pick<
  NormalizedMachine,
  "machineId" | "name" | "url" | "observedAt" | "reachable" | "octoprintVersion"
>;

function withState(
  base: MachineBase,
  error: string | null,
  status: PrinterStatus,
  online: boolean,
  temperatures: Record<string, TemperatureReading>,
  job: NormalizedJob | null,
  errorText: string | null,
): NormalizedMachine {
  return {
    machineId: base.machineId,
    name: base.name,
    url: base.url,
    observedAt: base.observedAt,
    reachable: base.reachable,
    error,
    status,
    online,
    octoprintVersion: base.octoprintVersion,
    temperatures,
    job,
    errorText,
  };
}

/** The printer's state is unknown: offline, not online, with why. */
function unknownState(base: MachineBase, error: string): NormalizedMachine {
  return withState(base, error, "offline", false, {}, null, null);
}

const CONTROL = /\p{Cc}/u;
const CONTROLS = /\p{Cc}/gu;

/** Text as stored: control characters removed (Postgres text cannot hold NUL), trimmed. */
function nonEmpty(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = (CONTROL.test(text) ? text.replace(CONTROLS, "") : text).trim();
  return trimmed ? trimmed : null;
}

const isNumberOrNull = (value: unknown): value is number | null =>
  value === null || (typeof value === "number" && Number.isFinite(value));

/** A heater's reading when it has `temperatureDataSchema`'s shape (the report schema checked it). */
function readingOf(value: unknown): TemperatureReading | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { actual, target, offset } = value as Record<string, unknown>;
  if (!isNumberOrNull(actual)) return null;
  if (target !== undefined && !isNumberOrNull(target)) return null;
  if (offset !== undefined && !isNumberOrNull(offset)) return null;
  return { actual, target: target ?? null };
}

function temperaturesOf(temperature: Record<string, unknown> | undefined) {
  const result: Record<string, TemperatureReading> = {};
  if (!temperature) return result;
  for (const key in temperature) {
    if (!Object.hasOwn(temperature, key) || !isHeaterKey(key)) continue;
    const reading = readingOf(temperature[key]);
    if (reading) result[key] = reading;
  }
  return result;
}

/** The job part of `GET /api/job`; null when no file is selected and there is no progress. */
export function normalizeJob(body: JobResponse): NormalizedJob | null {
  const file = body.job.file;
  const fileName = nonEmpty(file?.name) ?? nonEmpty(file?.path);
  const p = body.progress;
  const progress = finite(p.completion);
  const job: NormalizedJob = {
    fileName,
    progress: progress === null ? null : Math.min(100, Math.max(0, progress)),
    printTimeS: seconds(p.printTime),
    printTimeLeftS: seconds(p.printTimeLeft),
    estimatedPrintTimeS: seconds(body.job.estimatedPrintTime),
  };
  const empty = fileName === null && job.progress === null && job.printTimeS === null;
  return empty ? null : job;
}

function finite(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Longer than any real print; a larger value is a broken host, not a duration. */
const MAX_SECONDS = 10 * 365 * 24 * 3600;

function seconds(value: number | null | undefined): number | null {
  const n = finite(value);
  return n === null || n > MAX_SECONDS ? null : Math.max(0, Math.round(n));
}
