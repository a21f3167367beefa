import { JOB_STATUSES } from "@apf/domain";
import { get } from "../api.ts";
import { BASE, type PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Job, Printer } from "../types.ts";
import { field, select } from "../ui/form.ts";
import { dateTime, percent } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { statusBadge } from "../ui/printer-bits.ts";
import { pager, table } from "../ui/table.ts";

const PAGE = 25;

export function jobsTable(jobs: Job[], printers: Printer[]): HTMLElement {
  const names = new Map(printers.map((p) => [p.id, p.name]));
  return table(
    "Print jobs",
    [
      { header: "File", cell: (j) => j.file_name ?? "—" },
      { header: "Product", cell: (j) => j.product_name ?? "—" },
      { header: "Status", cell: (j) => statusBadge(j.status) },
      { header: "Progress", cell: (j) => percent(j.progress_percentage) },
      {
        header: "Printer",
        cell: (j) =>
          j.printer_id
            ? h(
                "a",
                { href: `${BASE}/printers/${j.printer_id}` },
                names.get(j.printer_id) ?? j.printer_id,
              )
            : "—",
      },
      { header: "Units", cell: (j) => j.number_of_units ?? "—" },
      { header: "Started", cell: (j) => dateTime(j.time_started) },
      { header: "Finished", cell: (j) => dateTime(j.time_completed) },
    ],
    jobs,
  );
}

/** Jobs, newest first, paged, filtered by status and printer (the filters live in the URL). */
export async function jobsPage(ctx: PageContext): Promise<void> {
  const printers = (await get<Printer[]>(ctx.orgPath("/printers"))).data;
  const status = select(
    "status",
    [["", "any status"], ...JOB_STATUSES.map((s) => [s, s] as [string, string])],
    ctx.query.get("status") ?? "",
  );
  const printer = select(
    "printer_id",
    [["", "any printer"], ...printers.map((p) => [p.id, p.name] as [string, string])],
    ctx.query.get("printer_id") ?? "",
  );
  const results = h("div");
  let offset = Number(ctx.query.get("offset") ?? 0) || 0;

  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (status.value) params.set("status", status.value);
    if (printer.value) params.set("printer_id", printer.value);
    history.replaceState(null, "", `${BASE}/jobs?${params}`);
    try {
      const page = await get<Job[]>(ctx.orgPath(`/jobs?${params}`));
      const meta = page.meta ?? { limit: PAGE, offset, count: page.data.length };
      replace(
        results,
        page.data.length === 0
          ? emptyState(
              status.value || printer.value ? "No job matches these filters." : "No jobs yet.",
              h("p", null, "Jobs appear when a connected printer starts printing."),
            )
          : [
              jobsTable(page.data, printers),
              pager(meta, (o) => {
                offset = o;
                void load();
              }),
            ],
      );
    } catch (error) {
      replace(results, failureNotice(error));
    }
  }
  const refilter = () => {
    offset = 0;
    void load();
  };
  status.addEventListener("change", refilter);
  printer.addEventListener("change", refilter);
  replace(
    ctx.main,
    h("h1", null, "Jobs"),
    h(
      "form",
      { class: "filters", "aria-label": "Filter jobs", onsubmit: (e: Event) => e.preventDefault() },
      field("Status", status),
      field("Printer", printer),
    ),
    results,
  );
  await load();
}
