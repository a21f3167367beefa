import type { Job } from "../../api/types.ts";
import { BASE } from "../../context.ts";
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
    <div class="table-wrap">
      <table>
        <caption>Print jobs</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Product</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Printer</th>
            <th scope="col">Units</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
            <th scope="col">Printed</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((j) => (
            <tr key={j.id}>
              <td>{j.file_name ?? "—"}</td>
              <td>{j.product_name ?? "—"}</td>
              <td>
                <StatusBadge status={j.status} />
                {j.failure_reason ? <span class="muted"> {j.failure_reason}</span> : null}
              </td>
              <td>{percent(j.progress_percentage)}</td>
              <td>
                {j.printer_id ? (
                  <a href={`${BASE}/printers/${j.printer_id}`}>
                    {props.printerNames.get(j.printer_id) ?? j.printer_id}
                  </a>
                ) : (
                  "—"
                )}
              </td>
              <td>{j.number_of_units}</td>
              <td>{dateTime(j.time_started)}</td>
              <td>{dateTime(j.time_completed)}</td>
              <td>{printed(j)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
