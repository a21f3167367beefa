import { ApiFailure } from "../api.ts";
import { type Attrs, type Child, h, uid } from "../dom.ts";

/**
 * A labelled input with its hint and its error slot. `name` is the API's body field, so an
 * INVALID_REQUEST naming that field lands next to it.
 */
export function field(
  label: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: Child,
): HTMLElement {
  const id = input.id || uid("f");
  input.id = id;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  input.setAttribute("aria-describedby", hint ? `${hintId} ${errorId}` : errorId);
  return h(
    "div",
    { class: "field", "data-field": input.name },
    h("label", { for: id }, label),
    input,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "error", id: errorId, role: "alert", hidden: true }),
  );
}

export const input = (attrs: Attrs) => h("input", { type: "text", ...attrs });

export function select(name: string, options: [string, string][], value?: string) {
  return h(
    "select",
    { name },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
}

/** A group of checkboxes under a legend, each with its own label and explanation. */
export function checkboxes(
  name: string,
  legend: string,
  options: { value: string; label: string; hint: Child; checked?: boolean }[],
): HTMLElement {
  return h(
    "fieldset",
    { class: "field checkboxes", "data-field": name },
    h("legend", null, legend),
    options.map((o) => {
      const id = uid("c");
      return h(
        "div",
        { class: "check" },
        h("input", { type: "checkbox", id, name, value: o.value, checked: o.checked }),
        h("label", { for: id }, h("strong", null, o.label), " — ", o.hint),
      );
    }),
    h("p", { class: "error", role: "alert", hidden: true }),
  );
}

function clearErrors(form: HTMLFormElement) {
  for (const el of form.querySelectorAll<HTMLElement>(".error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** Shows an API error next to the field it names, or above the button otherwise. */
export function showError(form: HTMLFormElement, error: unknown) {
  const failure =
    error instanceof ApiFailure ? error : new ApiFailure(0, "CLIENT", String(error ?? "Error"));
  const message = failure.notAvailable
    ? "This action is not available on this server."
    : failure.message;
  const holder = failure.field
    ? form.querySelector<HTMLElement>(`[data-field="${CSS.escape(failure.field)}"]`)
    : null;
  const slot =
    holder?.querySelector<HTMLElement>(".error") ??
    form.querySelector<HTMLElement>(":scope > .form-error");
  if (!slot) return;
  slot.textContent = message;
  slot.hidden = false;
  holder?.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
}

/**
 * A form that sends what `submit` makes of it. While it runs the button is disabled; an API
 * error is shown by the field it names. `submit` returns nothing on success.
 */
export function form(
  options: { label: string; submit: string; className?: string },
  children: Child[],
  submit: (data: FormData, form: HTMLFormElement) => Promise<void>,
): HTMLFormElement {
  const button = h("button", { type: "submit", class: "primary" }, options.submit);
  const el = h(
    "form",
    { "aria-label": options.label, class: options.className ?? "stack", novalidate: true },
    children,
    h("p", { class: "error form-error", role: "alert", hidden: true }),
    h("div", { class: "actions" }, button),
  );
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(el);
    button.disabled = true;
    try {
      await submit(new FormData(el), el);
    } catch (error) {
      showError(el, error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

/** A trimmed text value, or undefined when empty. */
export function text(data: FormData, name: string): string | undefined {
  const value = data.get(name);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** A number typed into a field, or undefined when empty (the API judges the value). */
export function number(data: FormData, name: string): number | string | undefined {
  const value = text(data, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}
