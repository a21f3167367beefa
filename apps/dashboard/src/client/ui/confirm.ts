import { h } from "../dom.ts";

/**
 * A modal question with Cancel and a named action (native <dialog>: focus is trapped, Escape
 * cancels). Resolves true when the action was chosen.
 */
export function confirmDialog(question: string, action: string, detail?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const cancel = h("button", { type: "button", value: "cancel" }, "Cancel");
    const ok = h("button", { type: "button", class: "danger", value: "ok" }, action);
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-label": question },
      h("p", { class: "question" }, question),
      detail ? h("p", null, detail) : null,
      h("div", { class: "actions" }, cancel, ok),
    );
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      // Back to the control that asked, if it is still there.
      if (before?.isConnected) before.focus();
      resolve(answer);
    };
    cancel.addEventListener("click", () => finish(false));
    ok.addEventListener("click", () => finish(true));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
