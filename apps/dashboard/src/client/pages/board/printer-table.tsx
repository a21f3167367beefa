import type { Job, Printer } from "../../api/types.ts";
import { BASE } from "../../context.ts";
import { clock, duration, percent } from "../../ui/format.ts";
import { PrinterActions } from "../../ui/printer-actions.tsx";
import { filament, StatusBadge } from "./printer-card.tsx";
import { printTiming } from "./timing.ts";

const heat = (p: Printer, heater: string) => {
  const t = p.temperatures?.[heater];
  return t ? `${t.actual ?? "—"}/${t.target ?? "—"}` : "—";
};

/** The compact board: one row per printer, for farms of hundreds. */
export function PrinterTable(props: {
  orgId: string;
  printers: Printer[];
  jobs: Map<string, Job>;
  now: number;
}) {
  return (
    <div class="table-wrap">
      <table class="compact">
        <caption class="visually-hidden">Printers</caption>
        <thead>
          <tr>
            <th scope="col">Printer</th>
            <th scope="col">Status</th>
            <th scope="col">File</th>
            <th scope="col">Progress</th>
            <th scope="col">Ends</th>
            <th scope="col">Nozzle °C</th>
            <th scope="col">Bed °C</th>
            <th scope="col">Filament</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.printers.map((p) => {
            const job = p.current_job_id ? props.jobs.get(p.current_job_id) : undefined;
            const timing = printTiming(job, p.progress_percentage, props.now);
            return (
              <tr key={p.id}>
                <th scope="row">
                  <a href={`${BASE}/printers/${encodeURIComponent(p.id)}`}>{p.name}</a>
                </th>
                <td>
                  <StatusBadge status={p.status} />
                </td>
                <td>{job?.file_name ?? "—"}</td>
                <td>{percent(p.progress_percentage)}</td>
                <td>
                  {timing.eta ? `${clock(timing.eta)} (${duration(timing.leftSeconds)})` : "—"}
                </td>
                <td>{heat(p, "tool0")}</td>
                <td>{heat(p, "bed")}</td>
                <td>{filament(p)}</td>
                <td class="row-actions">
                  <PrinterActions orgId={props.orgId} printer={p} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
