import type { PrinterStatus } from "@apf/db";
import type { ControlAction } from "@apf/domain";

/** What a control request needs to know of its printer. */
export interface ControlTarget {
  /** As integrators see it: `maintenance` while the printer is in maintenance (never allowed). */
  status: PrinterStatus | "maintenance";
  isActive: boolean;
  hasOpenJob: boolean;
}

const ALLOWED: Record<ControlAction, readonly PrinterStatus[]> = {
  pause: ["printing"],
  resume: ["paused"],
  stop: ["printing", "paused"],
  clear_bed: ["idle"],
};

/**
 * Why `action` does not fit the printer now (a sentence naming both), or null when it does.
 * Checked against the latest reported state, before anything is sent.
 */
export function refusal(action: ControlAction, target: ControlTarget): string | null {
  if (!target.isActive)
    return `The printer is inactive; "${action}" is not sent to inactive printers.`;
  const allowed = ALLOWED[action];
  if (!(allowed as readonly string[]).includes(target.status)) {
    const when = allowed.map((s) => `"${s}"`).join(" or ");
    return `Cannot ${action.replace("_", " ")} a printer that is "${target.status}"; "${action}" needs ${when}.`;
  }
  if (action === "clear_bed" && target.hasOpenJob) {
    return 'Cannot clear the bed while the printer\'s last job has not ended; "clear_bed" needs "idle" with no open job.';
  }
  return null;
}
