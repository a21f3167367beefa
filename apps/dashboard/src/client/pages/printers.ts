import { PRINTER_VIEW_STATUSES } from "@apf/domain";
import { get } from "../api.ts";
import { BASE, type PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Printer } from "../types.ts";
import { field, input, select } from "../ui/form.ts";
import { ago } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { progress, statusBadge, temperatures } from "../ui/printer-bits.ts";
import { actionNames } from "../ui/printer-controls.ts";

const REFRESH_MS = 2000;

function card(p: Printer): HTMLElement {
  return h(
    "article",
    { class: `printer ${p.online ? "" : "is-offline"}`, "aria-label": p.name },
    h(
      "header",
      null,
      h("h3", null, h("a", { href: `${BASE}/printers/${encodeURIComponent(p.id)}` }, p.name)),
      statusBadge(p.status),
    ),
    progress(p),
    h(
      "dl",
      null,
      h("dt", null, "Temperatures"),
      h("dd", null, temperatures(p)),
      h("dt", null, "Current job"),
      h("dd", null, p.current_job_id ? h("code", null, p.current_job_id.slice(0, 8)) : "none"),
      h("dt", null, "Location"),
      h("dd", null, p.location ?? "—"),
      h("dt", null, "Last seen"),
      h("dd", null, ago(p.last_seen_at)),
      // What the server allows now (the buttons are on the printer's page; the board redraws
      // every 2 s, which would take a focused button away from under the keyboard).
      h("dt", null, "Commands"),
      h("dd", { "data-testid": "commands" }, actionNames(p) || "none now"),
    ),
    p.last_error ? h("p", { class: "error-text" }, p.last_error) : null,
  );
}

/** The live board: every printer, refreshed every 2 s without reloading the page. */
export async function printersPage(ctx: PageContext): Promise<void> {
  const search = input({ name: "q", type: "search", placeholder: "name or location" });
  const status = select("status", [
    ["", "any status"],
    ...PRINTER_VIEW_STATUSES.map((s) => [s, s] as [string, string]),
  ]);
  const board = h("div", { class: "board" });
  const updated = h("p", { class: "muted", role: "status", "aria-live": "off" });
  let printers: Printer[] = [];

  function draw() {
    if (printers.length === 0) {
      replace(
        board,
        emptyState(
          "No printers yet: install the agent.",
          h(
            "p",
            null,
            "Create an agent under ",
            h("a", { href: `${BASE}/agents` }, "Agents"),
            ", save its agent.json on a computer next to the printers and run ",
            h("code", null, "apf-agent run --config agent.json"),
            ". Printers appear here with their first report.",
          ),
        ),
      );
      return;
    }
    const q = search.value.trim().toLowerCase();
    const shown = printers.filter(
      (p) =>
        (!status.value || p.status === status.value) &&
        (!q || `${p.name} ${p.location ?? ""} ${p.model ?? ""}`.toLowerCase().includes(q)),
    );
    replace(
      board,
      shown.length === 0
        ? emptyState(
            "No printer matches the filter.",
            h("p", null, "Clear the filter to see them all."),
          )
        : shown.map(card),
    );
  }

  async function refresh() {
    try {
      printers = (await get<Printer[]>(ctx.orgPath("/printers"))).data;
      draw();
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.`;
    } catch (error) {
      replace(board, failureNotice(error));
    }
  }

  search.addEventListener("input", draw);
  status.addEventListener("change", draw);
  replace(
    ctx.main,
    h("h1", null, "Printers"),
    h(
      "form",
      {
        class: "filters",
        role: "search",
        "aria-label": "Filter printers",
        onsubmit: (e: Event) => e.preventDefault(),
      },
      field("Search", search),
      field("Status", status),
    ),
    updated,
    board,
  );
  await refresh();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    await refresh();
    busy = false;
  }, REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));
}
