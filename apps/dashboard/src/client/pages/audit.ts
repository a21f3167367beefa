import { get } from "../api.ts";
import { BASE, type PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { AuditEvent, Member } from "../types.ts";
import { field, form, input, showError } from "../ui/form.ts";
import { dateTime } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { pager, table } from "../ui/table.ts";

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
export async function auditPage(ctx: PageContext): Promise<void> {
  if (!ctx.canManage) {
    replace(
      ctx.main,
      h("h1", null, "Audit log"),
      h("p", null, "Only owners and admins read the audit log."),
    );
    return;
  }
  const results = h("div");
  // Actors and targets are ids; show the members' emails where the id is a member's.
  const emails = new Map<string, string>();
  try {
    for (const m of (await get<Member[]>(ctx.orgPath("/members"))).data)
      emails.set(m.user.id, m.user.email);
  } catch {
    // Ids alone are still a complete log.
  }
  const who = (type: string | null, id: string | null) =>
    type ? `${type} ${id ? (emails.get(id) ?? id.slice(0, 8)) : ""}`.trim() : "—";
  const action = input({
    name: "action",
    list: "audit-actions",
    value: ctx.query.get("action") ?? "",
    placeholder: "e.g. api_key or member.invited",
  });
  let offset = Number(ctx.query.get("offset") ?? 0) || 0;

  async function load(filter: HTMLFormElement) {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (action.value.trim()) params.set("action", action.value.trim());
    const page = await get<AuditEvent[]>(ctx.orgPath(`/audit-events?${params}`));
    history.replaceState(null, "", `${BASE}/audit?${params}`);
    const meta = page.meta ?? { limit: PAGE, offset, count: page.data.length };
    replace(
      results,
      page.data.length === 0
        ? emptyState("No events match.", h("p", null, "Clear the filter to see every event."))
        : [
            table(
              "Audit events",
              [
                { header: "When", cell: (e) => dateTime(e.created_at) },
                { header: "Action", cell: (e) => h("code", null, e.action) },
                {
                  header: "Actor",
                  cell: (e) => who(e.actor.type, e.actor.id),
                },
                {
                  header: "Target",
                  cell: (e) => who(e.target.type, e.target.id),
                },
                { header: "Address", cell: (e) => e.ip ?? "—" },
                { header: "Details", cell: (e) => details(e.details) },
              ],
              page.data,
            ),
            pager(meta, (o) => {
              offset = o;
              void load(filter).catch((error) => showError(filter, error));
            }),
          ],
    );
  }

  const filter = form(
    { label: "Filter the audit log", submit: "Filter", className: "filters" },
    [
      field("Action", action, "An action, or a family such as api_key; empty for all."),
      h(
        "datalist",
        { id: "audit-actions" },
        FAMILIES.map((f) => h("option", { value: f })),
      ),
    ],
    async (_data, el) => {
      offset = 0;
      await load(el);
    },
  );
  replace(ctx.main, h("h1", null, "Audit log"), filter, results);
  try {
    await load(filter);
  } catch (error) {
    replace(results, failureNotice(error));
  }
}
