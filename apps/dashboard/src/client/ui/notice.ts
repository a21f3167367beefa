import { ApiFailure } from "../api.ts";
import { type Child, h } from "../dom.ts";

/** What to show when a page's data could not be loaded. */
export function failureNotice(error: unknown): HTMLElement {
  if (error instanceof ApiFailure && error.notAvailable) {
    return h(
      "div",
      { class: "notice", role: "status" },
      h("strong", null, "Not available. "),
      "This server does not offer this yet.",
    );
  }
  const message = error instanceof ApiFailure ? error.message : "Something went wrong.";
  const code = error instanceof ApiFailure ? ` (${error.code})` : "";
  return h("div", { class: "notice error-box", role: "alert" }, message, code);
}

/** An empty list, saying what to do next. */
export function emptyState(title: string, ...next: Child[]): HTMLElement {
  return h("div", { class: "empty" }, h("p", null, h("strong", null, title)), next);
}

/** A short-lived message after an action. */
export function flash(container: HTMLElement, message: string): void {
  const el = h("p", { class: "flash", role: "status" }, message);
  container.prepend(el);
  setTimeout(() => el.remove(), 6000);
}
