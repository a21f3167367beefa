import type { ControlAction } from "@apf/domain";
import { post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h } from "../dom.ts";
import type { Printer } from "../types.ts";
import { confirmDialog } from "./confirm.ts";
import { label } from "./format.ts";
import { failureNotice, flash } from "./notice.ts";

const NAMES: Record<ControlAction, string> = {
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  clear_bed: "Bed cleared",
};

/** `Pause, Stop`: the commands the printer allows now, by name; empty when none. */
export function actionNames(p: Printer): string {
  return p.available_actions.map((a) => NAMES[a]).join(", ");
}

/**
 * A button for each action the server says the printer allows now (`available_actions`), and
 * no other: which actions fit a status is the server's rule, never read here from the status.
 * `done` runs after a command was accepted (to re-read the printer).
 */
export function printerControls(ctx: PageContext, p: Printer, done: () => void): HTMLElement {
  const box = h("div", {
    class: "row-actions",
    role: "group",
    "aria-label": `Commands for ${p.name}`,
  });
  if (p.available_actions.length === 0) {
    box.append(h("p", { class: "muted" }, "No command fits the printer now."));
    return box;
  }
  for (const action of p.available_actions) {
    const name = NAMES[action];
    const button = h("button", { type: "button" }, name);
    button.addEventListener("click", async () => {
      if (action === "stop" && !(await confirmDialog(`Stop the print on ${p.name}?`, "Stop print")))
        return;
      try {
        const res = await post<{ status: string }>(ctx.orgPath(`/printers/${p.id}/control`), {
          action,
        });
        flash(box, `${name}: ${label(res.data.status)}.`);
        done();
      } catch (error) {
        box.after(failureNotice(error));
      }
    });
    box.append(button);
  }
  return box;
}
