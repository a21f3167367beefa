import { get, patch } from "../api.ts";
import { BASE, type PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Job, Printer } from "../types.ts";
import { field, form, input, text } from "../ui/form.ts";
import { ago, percent } from "../ui/format.ts";
import { failureNotice, flash } from "../ui/notice.ts";
import { progress, statusBadge, temperatures } from "../ui/printer-bits.ts";
import { printerControls } from "../ui/printer-controls.ts";
import { jobsTable } from "./jobs.ts";

/** One printer: its state, what an owner knows of it, commands, and its recent jobs. */
export async function printerPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.printerId!;
  const printers = (await get<Printer[]>(ctx.orgPath("/printers"))).data;
  const p = printers.find((x) => x.id === id);
  if (!p) {
    replace(
      ctx.main,
      h("h1", null, "Printer not found"),
      h("p", null, h("a", { href: `${BASE}/printers` }, "Back to the board")),
    );
    return;
  }
  const facts: [string, string | HTMLElement][] = [
    ["Status", statusBadge(p.status)],
    ["Progress", percent(p.progress_percentage)],
    ["Temperatures", temperatures(p)],
    ["Current job", p.current_job_id ?? "none"],
    ["Last seen", ago(p.last_seen_at)],
    ["Machine id", p.machine_id],
    ["Model", [p.manufacturer, p.model].filter(Boolean).join(" ") || "—"],
    ["Nozzle", p.nozzle_size ? `${p.nozzle_size} mm` : "—"],
    ["Filament", [p.current_filament_type, p.current_color].filter(Boolean).join(", ") || "—"],
    ["Active", p.is_active ? "yes" : "no"],
    ["Last error", p.last_error ?? "—"],
  ];
  const jobs = h("div");
  const controls = h("div");
  // After a command the printer is read again: its next actions are the server's to say.
  const drawControls = (printer: Printer) =>
    replace(controls, printerControls(ctx, printer, reread));
  async function reread() {
    try {
      const again = (await get<Printer[]>(ctx.orgPath("/printers"))).data.find((x) => x.id === id);
      if (again) drawControls(again);
    } catch (error) {
      replace(controls, failureNotice(error));
    }
  }
  drawControls(p);
  const edit = ctx.canManage
    ? form(
        { label: "Printer details", submit: "Save" },
        [
          field("Name", input({ name: "name", value: p.name })),
          field("Location", input({ name: "location", value: p.location ?? "" })),
          field("Manufacturer", input({ name: "manufacturer", value: p.manufacturer ?? "" })),
          field("Model", input({ name: "model", value: p.model ?? "" })),
        ],
        async (data, el) => {
          await patch(ctx.orgPath(`/printers/${p.id}`), {
            name: text(data, "name"),
            location: text(data, "location") ?? null,
            manufacturer: text(data, "manufacturer") ?? null,
            model: text(data, "model") ?? null,
          });
          flash(el, "Saved.");
        },
      )
    : null;
  replace(
    ctx.main,
    h("p", null, h("a", { href: `${BASE}/printers` }, "← All printers")),
    h("h1", null, p.name),
    progress(p),
    h(
      "dl",
      { class: "facts" },
      facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
    ),
    ctx.canManage ? h("section", null, h("h2", null, "Commands"), controls) : null,
    edit ? h("section", { class: "card" }, h("h2", null, "Details"), edit) : null,
    h("section", null, h("h2", null, "Recent jobs"), jobs),
  );
  try {
    const page = await get<Job[]>(
      ctx.orgPath(`/jobs?printer_id=${encodeURIComponent(p.id)}&limit=10`),
    );
    replace(
      jobs,
      page.data.length ? jobsTable(page.data, [p]) : h("p", null, "No jobs on this printer yet."),
    );
  } catch (error) {
    replace(jobs, failureNotice(error));
  }
}
