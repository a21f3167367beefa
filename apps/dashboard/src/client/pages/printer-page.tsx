import { useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import { BASE } from "../context.ts";
import type { OrgPageProps } from "../pages.ts";
import { ApiForm, Field, text } from "../ui/api-form.tsx";
import { Failure } from "../ui/failure.tsx";
import { ago, percent } from "../ui/format.ts";
import { PrinterActions } from "../ui/printer-actions.tsx";
import { useLoad } from "../ui/use-load.ts";
import { filament, StatusBadge, Temperatures, Trouble } from "./board/printer-card.tsx";
import { JobsTable } from "./jobs/jobs-table.tsx";

/** One printer: its state, what an owner knows of it, commands, and its recent jobs. */
export function PrinterPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const id = props.params.printerId ?? "";
  const [printer, reload] = useLoad(async () => {
    const list = (await data(api.GET("/orgs/{orgId}/printers", { params: { path: { orgId } } })))
      .data;
    return list.find((p) => p.id === id) ?? null;
  }, [orgId, id]);
  const [jobs] = useLoad(
    () =>
      data(
        api.GET("/orgs/{orgId}/jobs", {
          params: { path: { orgId }, query: { printer_id: id, limit: 10 } },
        }),
      ),
    [orgId, id],
  );
  const [saved, setSaved] = useState(false);

  if (printer.state === "loading") return <p class="loading">Loading the printer…</p>;
  if (printer.state === "failed") return <Failure error={printer.error} />;
  const p = printer.value;
  if (!p) {
    return (
      <>
        <h1>Printer not found</h1>
        <p>
          <a href={`${BASE}/printers`}>Back to the board</a>
        </p>
      </>
    );
  }
  const facts: [string, preact.ComponentChildren][] = [
    ["Status", <StatusBadge key="s" status={p.status} />],
    ["Progress", percent(p.progress_percentage)],
    ["Temperatures", <Temperatures key="t" printer={p} />],
    ["Last seen", ago(p.last_seen_at)],
    ["Machine id", p.machine_id],
    ["Model", [p.manufacturer, p.model].filter(Boolean).join(" ") || "—"],
    ["Nozzle", p.nozzle_size ? `${p.nozzle_size} mm` : "—"],
    ["Filament", filament(p)],
    ["Active", p.is_active ? "yes" : "no"],
    ["Last error", p.last_error ?? "—"],
  ];
  return (
    <>
      <p>
        <a href={`${BASE}/printers`}>← All printers</a>
      </p>
      <h1>{p.name}</h1>
      <Trouble printer={p} />
      <dl class="facts">
        {facts.map(([k, v]) => [<dt key={`${k}t`}>{k}</dt>, <dd key={`${k}d`}>{v}</dd>])}
      </dl>
      <section>
        <h2>Commands</h2>
        <fieldset class="row-actions bare" aria-label={`Commands for ${p.name}`}>
          {p.available_actions.length === 0 ? (
            <p class="muted">No command fits the printer now.</p>
          ) : (
            // After a command the printer is read again: its next actions are the server's to say.
            <PrinterActions orgId={orgId} printer={p} done={() => void reload()} />
          )}
        </fieldset>
      </section>
      {props.canManage ? (
        <section class="card">
          <h2>Details</h2>
          <ApiForm
            label="Printer details"
            submit="Save"
            onSubmit={async (form) => {
              setSaved(false);
              await data(
                api.PATCH("/orgs/{orgId}/printers/{printerId}", {
                  params: { path: { orgId, printerId: p.id } },
                  body: {
                    name: text(form, "name"),
                    location: text(form, "location") ?? null,
                    manufacturer: text(form, "manufacturer") ?? null,
                    model: text(form, "model") ?? null,
                  },
                }),
              );
              setSaved(true);
              await reload();
            }}
          >
            <Field label="Name" name="name" defaultValue={p.name} />
            <Field label="Location" name="location" defaultValue={p.location ?? ""} />
            <Field label="Manufacturer" name="manufacturer" defaultValue={p.manufacturer ?? ""} />
            <Field label="Model" name="model" defaultValue={p.model ?? ""} />
            {saved ? (
              <p class="flash" role="status">
                Saved.
              </p>
            ) : null}
          </ApiForm>
        </section>
      ) : null}
      <section>
        <h2>Recent jobs</h2>
        {jobs.state === "loading" ? <p class="loading">Loading jobs…</p> : null}
        {jobs.state === "failed" ? <Failure error={jobs.error} /> : null}
        {jobs.state === "ready" ? (
          jobs.value.data.length > 0 ? (
            <JobsTable jobs={jobs.value.data} printerNames={new Map([[p.id, p.name]])} />
          ) : (
            <p>No jobs on this printer yet.</p>
          )
        ) : null}
      </section>
    </>
  );
}
