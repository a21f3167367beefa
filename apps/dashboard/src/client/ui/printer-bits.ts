import { h } from "../dom.ts";
import type { Printer } from "../types.ts";
import { label, percent } from "./format.ts";

const GOOD = new Set(["idle", "printing", "ready", "operational"]);
const BAD = new Set(["error", "offline"]);

export function statusBadge(status: string): HTMLElement {
  const tone = BAD.has(status) ? "bad" : GOOD.has(status) ? "good" : "warn";
  return h("span", { class: `badge ${tone}` }, label(status));
}

/** `tool0 214.8 / 215 °C` for each heater the printer reported. */
export function temperatures(p: Printer): HTMLElement {
  const entries = Object.entries(p.temperatures ?? {});
  if (entries.length === 0) return h("span", { class: "muted" }, "no temperatures");
  return h(
    "ul",
    { class: "temps" },
    entries.map(([heater, t]) =>
      h(
        "li",
        null,
        h("span", { class: "heater" }, heater),
        ` ${t.actual ?? "—"} / ${t.target ?? "—"} °C`,
      ),
    ),
  );
}

export function progress(p: Printer): HTMLElement {
  const value = p.progress_percentage;
  return h(
    "div",
    { class: "progress" },
    h("progress", {
      max: 100,
      value: value ?? 0,
      "aria-label": `Progress of ${p.name}`,
      "aria-valuetext": percent(value),
    }),
    h("span", { class: "progress-text", "data-testid": "progress" }, percent(value)),
  );
}
