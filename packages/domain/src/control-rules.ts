import { CONTROL_ACTIONS, type ControlAction, type PrinterViewStatus } from "./vocabulary.ts";

/** What the control rule reads of a printer: its view (see printer-view.ts). */
export interface ControlState {
  /** As every surface shows it: `offline` when stale, `maintenance` while in maintenance. */
  status: PrinterViewStatus;
  isActive: boolean;
  /** A job holds the printer (its current job is set). */
  hasOpenJob: boolean;
}

/** The statuses each action needs; `maintenance`, `offline` and `error` allow none. */
const NEEDS: Record<ControlAction, readonly PrinterViewStatus[]> = {
  pause: ["printing"],
  resume: ["paused"],
  stop: ["printing", "paused"],
  clear_bed: ["idle"],
};

function allows(action: ControlAction, state: ControlState): boolean {
  if (!state.isActive) return false;
  if (!NEEDS[action].includes(state.status)) return false;
  return !(action === "clear_bed" && state.hasOpenJob);
}

/**
 * The actions the printer allows right now, in CONTROL_ACTIONS order. The printer view carries
 * them (`available_actions`); a control request is refused exactly when its action is not among
 * them (see controlRefusal), so what a client offers and what the server accepts cannot differ.
 */
export function availableActions(state: ControlState): ControlAction[] {
  return CONTROL_ACTIONS.filter((action) => allows(action, state));
}

/**
 * Why `action` does not fit the printer now (a sentence naming both), or null when it does.
 * Null exactly when availableActions(state) includes `action`.
 */
export function controlRefusal(action: ControlAction, state: ControlState): string | null {
  if (allows(action, state)) return null;
  if (!state.isActive)
    return `The printer is inactive; "${action}" is not sent to inactive printers.`;
  const needs = NEEDS[action];
  if (!needs.includes(state.status)) {
    const when = needs.map((s) => `"${s}"`).join(" or ");
    return `Cannot ${action.replace("_", " ")} a printer that is "${state.status}"; "${action}" needs ${when}.`;
  }
  return 'Cannot clear the bed while the printer\'s last job has not ended; "clear_bed" needs "idle" with no open job.';
}
