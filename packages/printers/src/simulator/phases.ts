import type { PrinterStateFlags } from "../octoprint/schemas.ts";

/**
 * The simulated printer's connection/print states, named after OctoPrint's `MachineCom.STATE_*`
 * (src/octoprint/util/comm.py). "printing" covers the heat-up at the start of a file, as on a real
 * printer where `M190`/`M109` are simply the first lines of the G-code.
 */
export type PhaseKind =
  | "offline"
  | "error"
  | "idle"
  | "printing"
  | "pausing"
  | "paused"
  | "resuming"
  | "cancelling"
  | "finishing";

/** `state.text` / `job.state` as OctoPrint words them. */
export const PHASE_TEXT: Record<PhaseKind, string> = {
  offline: "Offline",
  error: "Error",
  idle: "Operational",
  printing: "Printing",
  pausing: "Pausing",
  paused: "Paused",
  resuming: "Resuming",
  cancelling: "Cancelling",
  finishing: "Finishing",
};

/** How long the transient states last before OctoPrint moves on, in milliseconds. */
export const TRANSIENT_MS = {
  pausing: 1_000,
  resuming: 1_000,
  cancelling: 2_000,
  finishing: 1_000,
} as const;

// comm.py: PRINTING_STATES = STARTING, PRINTING, CANCELLING, PAUSING, RESUMING, FINISHING
const PRINTING_PHASES: ReadonlySet<PhaseKind> = new Set([
  "printing",
  "pausing",
  "resuming",
  "cancelling",
  "finishing",
]);

/** Phases with a print job in progress (OctoPrint's `is_printing() or is_paused()`). */
export function isActivePhase(kind: PhaseKind): boolean {
  return PRINTING_PHASES.has(kind) || kind === "paused";
}

/** Phases in which OctoPrint's `is_operational()` holds; every other one answers 409. */
export function isOperationalPhase(kind: PhaseKind): boolean {
  return kind !== "offline" && kind !== "error";
}

/** The full `state.flags` object for a phase, with the same truth table as OctoPrint 1.5+. */
export function phaseFlags(
  kind: PhaseKind,
): Required<
  Pick<
    PrinterStateFlags,
    | "operational"
    | "printing"
    | "paused"
    | "pausing"
    | "cancelling"
    | "resuming"
    | "finishing"
    | "sdReady"
    | "error"
    | "ready"
    | "closedOrError"
  >
> {
  const operational = isOperationalPhase(kind);
  return {
    operational,
    printing: PRINTING_PHASES.has(kind),
    paused: kind === "paused",
    pausing: kind === "pausing",
    cancelling: kind === "cancelling",
    resuming: kind === "resuming",
    finishing: kind === "finishing",
    sdReady: false,
    error: kind === "error",
    ready: kind === "idle",
    closedOrError: !operational,
  };
}
