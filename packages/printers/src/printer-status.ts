import type { PrinterStatus } from "@apf/domain";
import type { PrinterStateFlags } from "./octoprint/schemas.ts";

/**
 * Status from OctoPrint's `state.flags` (never from `state.text`, which is free and localisable).
 * First match wins:
 *
 * 1. `error` → error (an unrecoverable error; OctoPrint sets `closedOrError` with it)
 * 2. `closedOrError` → offline (disconnected without error)
 * 3. `cancelling` → cancelling, 4. `pausing` → pausing (both come with `printing`)
 * 5. `paused` and not `resuming` → paused
 * 6. `printing`, `resuming` or `finishing` → printing (OctoPrint's PRINTING_STATES include the
 *    transient starting/resuming/finishing states)
 * 7. `operational` or `ready` → idle
 * 8. anything else (not operational, e.g. connecting) → offline
 */
export function statusFromFlags(flags: PrinterStateFlags): PrinterStatus {
  if (flags.error) return "error";
  if (flags.closedOrError) return "offline";
  if (flags.cancelling) return "cancelling";
  if (flags.pausing) return "pausing";
  if (flags.paused && !flags.resuming) return "paused";
  if (flags.printing || flags.resuming || flags.finishing) return "printing";
  if (flags.operational || flags.ready) return "idle";
  return "offline";
}

/** Statuses in which a print job is in progress. */
export function isJobActiveStatus(status: PrinterStatus): boolean {
  return (
    status === "printing" || status === "pausing" || status === "paused" || status === "cancelling"
  );
}
