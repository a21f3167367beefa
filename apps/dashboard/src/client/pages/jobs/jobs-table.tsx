import type { Job } from "../../api/types.ts";
import { BASE } from "../../context.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { dateTime, duration, percent } from "../../ui/format.ts";
import { StatusBadge } from "../board/printer-card.tsx";

/** How long a job printed: its own figure, or from its start and end. */
function printed(j: Job): string {
  if (j.actual_print_time_minutes !== null) return duration(j.actual_print_time_minutes * 60);
  if (j.time_started && j.time_completed) {
    return duration((Date.parse(j.time_completed) - Date.parse(j.time_started)) / 1000);
  }
  return "—";
}

export function JobsTable(props: { jobs: Job[]; printerNames: Map<string, string> }) {
  return (
    <DataTable
      caption="Print jobs"
      rows={props.jobs}
      columns={[
        { header: "File", cell: (j) => j.file_name ?? "—" },
        { header: "Product", cell: (j) => j.product_name ?? "—" },
        {
          header: "Status",
          cell: (j) => (
            <>
              <StatusBadge status={j.status} />
              {j.failure_reason ? <span class="muted"> {j.failure_reason}</span> : null}
            </>
          ),
        },
        { header: "Progress", cell: (j) => percent(j.progress_percentage) },
        {
          header: "Printer",
          cell: (j) =>
            j.printer_id ? (
              <a href={`${BASE}/printers/${j.printer_id}`}>
                {props.printerNames.get(j.printer_id) ?? j.printer_id}
              </a>
            ) : (
              "—"
            ),
        },
        { header: "Units", cell: (j) => j.number_of_units },
        { header: "Started", cell: (j) => dateTime(j.time_started) },
        { header: "Finished", cell: (j) => dateTime(j.time_completed) },
        { header: "Printed", cell: (j) => printed(j) },
      ]}
    />
  );
}
