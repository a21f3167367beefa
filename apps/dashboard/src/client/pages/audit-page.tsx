import { api, data } from "../api/client.ts";
import { BASE } from "../context.ts";
import type { OrgPageProps } from "../pages.ts";
import { navigate } from "../router.ts";
import { DataTable } from "../ui/data-table.tsx";
import { Failure } from "../ui/failure.tsx";
import { dateTime } from "../ui/format.ts";
import { Pager } from "../ui/pager.tsx";
import { useLoad } from "../ui/use-load.ts";

const PAGE = 50;
const FAMILIES = [
  "auth",
  "api_key",
  "agent",
  "member",
  "invitation",
  "organization",
  "printer",
  "sku",
  "filament",
];

function details(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

/** The audit log, newest first, paged, filtered by action or family of actions (owners, admins). */
export function AuditPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const action = props.query.get("action") ?? "";
  const offset = Math.max(0, Number(props.query.get("offset") ?? 0) || 0);
  const go = (next: { action: string; offset: number }) => {
    const q = new URLSearchParams();
    if (next.action) q.set("action", next.action);
    if (next.offset) q.set("offset", String(next.offset));
    navigate(`${BASE}/audit${q.size ? `?${q}` : ""}`, true);
  };
  const [log] = useLoad(async () => {
    if (!props.canManage) return null;
    const [events, members] = await Promise.all([
      data(
        api.GET("/orgs/{orgId}/audit-events", {
          params: {
            path: { orgId },
            query: { limit: PAGE, offset, ...(action ? { action } : {}) },
          },
        }),
      ),
      // Actors and targets are ids; show the members' emails where the id is a member's.
      data(api.GET("/orgs/{orgId}/members", { params: { path: { orgId } } })).catch(() => null),
    ]);
    const emails = new Map((members?.data ?? []).map((m) => [m.user.id, m.user.email]));
    return { events, emails };
  }, [orgId, action, offset, props.canManage]);

  if (!props.canManage) {
    return (
      <>
        <h1>Audit log</h1>
        <p>Only owners and admins read the audit log.</p>
      </>
    );
  }
  let body: preact.ComponentChildren;
  if (log.state === "loading") body = <p class="loading">Loading the audit log…</p>;
  else if (log.state === "failed") body = <Failure error={log.error} />;
  else if (log.value) {
    const { events, emails } = log.value;
    const who = (type: string | null, id: string | null) =>
      type ? `${type} ${id ? (emails.get(id) ?? id.slice(0, 8)) : ""}`.trim() : "—";
    body =
      events.data.length === 0 ? (
        <div class="empty">
          <p>
            <strong>No events match.</strong>
          </p>
          <p>Clear the filter to see every event.</p>
        </div>
      ) : (
        <>
          <DataTable
            caption="Audit events"
            rows={events.data}
            columns={[
              { header: "When", cell: (e) => dateTime(e.created_at) },
              { header: "Action", cell: (e) => <code>{e.action}</code> },
              { header: "Actor", cell: (e) => who(e.actor.type, e.actor.id) },
              { header: "Target", cell: (e) => who(e.target.type, e.target.id) },
              { header: "Address", cell: (e) => e.ip ?? "—" },
              { header: "Details", cell: (e) => details(e.details as Record<string, unknown>) },
            ]}
          />
          <Pager meta={events.meta} go={(o) => go({ action, offset: o })} />
        </>
      );
  }
  return (
    <>
      <h1>Audit log</h1>
      <form
        class="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          const value = new FormData(e.currentTarget as HTMLFormElement).get("action");
          go({ action: String(value ?? "").trim(), offset: 0 });
        }}
      >
        <div class="field">
          <label for="audit-action">Action</label>
          <input
            id="audit-action"
            name="action"
            list="audit-actions"
            defaultValue={action}
            placeholder="e.g. api_key or member.invited"
            aria-describedby="audit-action-hint"
          />
          <p class="hint" id="audit-action-hint">
            An action, or a family such as api_key; empty for all.
          </p>
          <datalist id="audit-actions">
            {FAMILIES.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Filter
          </button>
        </div>
      </form>
      {body}
    </>
  );
}
