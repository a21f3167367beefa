function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.textContent = text;
  return el;
}

/**
 * A modal question with Cancel and a named action (native <dialog>: focus is trapped, Escape
 * cancels). Resolves true when the action was chosen.
 */
export function confirmDialog(question: string, action: string, detail?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const cancel = element("button", "Cancel", { type: "button", value: "cancel" });
    const ok = element("button", action, { type: "button", class: "danger", value: "ok" });
    const actions = element("div", "", { class: "actions" });
    actions.append(cancel, ok);
    const dialog = element("dialog", "", { class: "confirm", "aria-label": question });
    dialog.append(element("p", question, { class: "question" }));
    if (detail) dialog.append(element("p", detail));
    dialog.append(actions);
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
