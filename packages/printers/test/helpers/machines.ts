import { type NormalizedMachine, normalizeMachine } from "../../src/normalize.ts";
import {
  jobResponseSchema,
  printerResponseSchema,
  versionResponseSchema,
} from "../../src/octoprint/schemas.ts";
import type { MachineReport } from "../../src/report-schema.ts";
import {
  jobFixture,
  printerFixture,
  versionFixture,
} from "../../src/testing/octoprint-fixtures.ts";

export const OBSERVED_AT = "2026-11-23T10:00:04.120Z";

type Flags = Record<string, boolean>;

/** A reachable machine answering 200 with the docs' bodies, with parts overridden. */
export function machineReport(overrides: Partial<MachineReport> = {}): MachineReport {
  return {
    machine_id: "my_octoprint_machine",
    name: "my_octoprint_machine",
    type: "OCTOPRINT",
    url: "http://192.168.1.41:5000",
    observed_at: OBSERVED_AT,
    reachable: true,
    error: null,
    octoprint: {
      version: versionResponseSchema.parse(versionFixture()),
      printer_http_status: 200,
      printer: printerResponseSchema.parse(printerFixture()),
      job: jobResponseSchema.parse(jobFixture()),
      filament: null,
    },
    ...overrides,
  };
}

/** The docs' printer body with `state.flags` replaced (all unspecified flags false). */
export function printerWithFlags(flags: Flags, extraState: Record<string, unknown> = {}) {
  const printer = printerFixture() as { state: Record<string, unknown> };
  printer.state = {
    text: "Some state text we never read",
    flags: {
      operational: true,
      paused: false,
      printing: false,
      cancelling: false,
      pausing: false,
      sdReady: false,
      error: false,
      ready: false,
      closedOrError: false,
      ...flags,
    },
    ...extraState,
  };
  return printer;
}

/** A job body with chosen file, completion and times. */
export function jobBody(opts: {
  file?: string | null;
  completion?: number | null;
  printTime?: number | null;
  printTimeLeft?: number | null;
  estimated?: number | null;
  state?: string;
  error?: string;
}) {
  const body: Record<string, unknown> = {
    job: {
      file: { name: opts.file ?? null, origin: opts.file ? "local" : null, size: null, date: null },
      estimatedPrintTime: opts.estimated ?? null,
      filament: null,
    },
    progress: {
      completion: opts.completion ?? null,
      filepos: null,
      printTime: opts.printTime ?? null,
      printTimeLeft: opts.printTimeLeft ?? null,
    },
    state: opts.state ?? "Whatever",
  };
  if (opts.error !== undefined) body.error = opts.error;
  return body;
}

/** A normalised machine in a given printer status with a given job, for lifecycle tests. */
export function observed(
  status: "idle" | "printing" | "paused" | "pausing" | "cancelling" | "error" | "offline",
  job: { file?: string | null; completion?: number | null; printTime?: number | null } = {},
  opts: { at?: string; online?: boolean; errorText?: string | null } = {},
): NormalizedMachine {
  const hasJob = job.file !== undefined || job.completion !== undefined;
  return {
    machineId: "m1",
    name: "m1",
    url: "http://printer.local",
    observedAt: new Date(opts.at ?? OBSERVED_AT),
    reachable: opts.online !== false,
    error: null,
    status,
    online: opts.online ?? true,
    octoprintVersion: "1.10.2",
    temperatures: {},
    job: hasJob
      ? {
          fileName: job.file ?? null,
          progress: job.completion ?? null,
          printTimeS: job.printTime ?? null,
          printTimeLeftS: null,
          estimatedPrintTimeS: 3600,
        }
      : null,
    errorText: opts.errorText ?? null,
  };
}

/** Shortcut: normalise a report built from overrides. */
export function normalized(overrides: Partial<MachineReport> = {}): NormalizedMachine {
  return normalizeMachine(machineReport(overrides));
}

/** A reachable machine whose OctoPrint answered with these (raw) bodies, parsed as the API would. */
export function reportWith(parts: {
  http?: number | null;
  printer?: unknown;
  job?: unknown;
}): MachineReport {
  const base = machineReport();
  return {
    ...base,
    octoprint: {
      version: base.octoprint?.version ?? null,
      printer_http_status: parts.http === undefined ? 200 : parts.http,
      printer: parts.printer == null ? null : printerResponseSchema.parse(parts.printer),
      job: parts.job == null ? null : jobResponseSchema.parse(parts.job),
      filament: null,
    },
  };
}
