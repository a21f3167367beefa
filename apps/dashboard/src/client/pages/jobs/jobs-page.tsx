import { api, data } from "../../api/client.ts";
import type { Job } from "../../api/types.ts";
import { BASE } from "../../context.ts";
import type { OrgPageProps } from "../../pages.ts";
import { navigate } from "../../router.ts";
import { Failure } from "../../ui/failure.tsx";
import { label } from "../../ui/format.ts";
import { Pager } from "../../ui/pager.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { JobsTable } from "./jobs-table.tsx";

const PAGE = 25;
const STATUSES: Job["status"][] = [
  "queued",
  "processing",
  "uploaded",
  "printing",
  "paused",
  "completed",
  "failed",
  "cancelled",
];

/** Jobs, newest first, paged and filtered by status and printer; the filters live in the URL. */
export function JobsPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const status = (props.query.get("status") ?? "") as Job["status"] | "";
  const printerId = props.query.get("printer_id") ?? "";
  const offset = Math.max(0, Number(props.query.get("offset") ?? 0) || 0);
  const go = (change: Record<string, string>) => {
    const next = new URLSearchParams(props.query);
    for (const [k, v] of Object.entries(change)) {
      if (v && v !== "0") next.set(k, v);
      else next.delete(k);
    }
    navigate(`${BASE}/jobs${next.size ? `?${next}` : ""}`, true);
  };

  const [printers] = useLoad(
    () => data(api.GET("/orgs/{orgId}/printers", { params: { path: { orgId } } })),
    [orgId],
  );
  const [page] = useLoad(
    () =>
      data(
        api.GET("/orgs/{orgId}/jobs", {
          params: {
            path: { orgId },
            query: {
              limit: PAGE,
              offset,
              ...(status ? { status } : {}),
              ...(printerId ? { printer_id: printerId } : {}),
            },
          },
        }),
      ),
    [orgId, status, printerId, offset],
  );
  const list = printers.state === "ready" ? printers.value.data : [];
  const names = new Map(list.map((p) => [p.id, p.name]));

  let body: preact.ComponentChildren;
  if (page.state === "loading") body = <p class="loading">Loading jobs…</p>;
  else if (page.state === "failed") body = <Failure error={page.error} />;
  else if (page.value.data.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>{status || printerId ? "No job matches these filters." : "No jobs yet."}</strong>
        </p>
        <p>Jobs appear when a print is queued or a connected printer starts printing.</p>
      </div>
    );
  } else {
    body = (
      <>
        <JobsTable jobs={page.value.data} printerNames={names} />
        <Pager meta={page.value.meta} go={(o) => go({ offset: String(o) })} />
      </>
    );
  }
  return (
    <>
      <h1>Jobs</h1>
      <form class="filters" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="jobs-status">Status</label>
          <select
            id="jobs-status"
            value={status}
            onChange={(e) =>
              go({ status: (e.currentTarget as HTMLSelectElement).value, offset: "" })
            }
          >
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="jobs-printer">Printer</label>
          <select
            id="jobs-printer"
            value={printerId}
            onChange={(e) =>
              go({ printer_id: (e.currentTarget as HTMLSelectElement).value, offset: "" })
            }
          >
            <option value="">any printer</option>
            {list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      {body}
    </>
  );
}
