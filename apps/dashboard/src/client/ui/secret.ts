import { type Child, h, uid } from "../dom.ts";

/** A secret shown once, with a copy button and the plain warning that it will not be shown again. */
export function onceSecret(label: string, secret: string, extra?: Child): HTMLElement {
  const id = uid("secret");
  const status = h("span", { role: "status", class: "copied" });
  const box = h("textarea", {
    id,
    readonly: true,
    rows: secret.includes("\n") ? 10 : 2,
    class: "secret",
  });
  box.value = secret;
  const copy = h("button", { type: "button" }, "Copy");
  copy.addEventListener("click", async () => {
    box.select();
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Selected: press Ctrl+C to copy.";
    }
  });
  return h(
    "section",
    { class: "once" },
    h("label", { for: id }, label),
    box,
    h("div", { class: "actions" }, copy, status),
    h("p", { class: "warning" }, "Save it now: you will not see it again."),
    extra,
  );
}
