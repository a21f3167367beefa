import { agentJson, SIMULATOR_COMMAND, SIMULATOR_MACHINES } from "../agent-json.ts";
import { del, get, post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Agent } from "../types.ts";
import { confirmDialog } from "../ui/confirm.ts";
import { field, form, input, text } from "../ui/form.ts";
import { ago, dateTime } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { onceSecret } from "../ui/secret.ts";
import { table } from "../ui/table.ts";

export async function agentsPage(ctx: PageContext): Promise<void> {
  const created = h("div");
  const list = h("div");

  async function load() {
    try {
      const agents = (await get<Agent[]>(ctx.orgPath("/agents"))).data;
      replace(list, agents.length === 0 ? noAgents() : agentTable(agents));
    } catch (error) {
      replace(list, failureNotice(error));
    }
  }

  function noAgents() {
    return emptyState(
      "No agents yet.",
      h(
        "p",
        null,
        ctx.canManage
          ? "Create one above, save its agent.json next to the farm's printers and run "
          : "An owner or admin can create one; on the farm it runs as ",
        h("code", null, "apf-agent run --config agent.json"),
        ".",
      ),
    );
  }

  async function revoke(agent: Agent) {
    const yes = await confirmDialog(
      `Revoke the agent “${agent.name}”?`,
      "Revoke agent",
      "Its reports are refused at once; its printers stop updating.",
    );
    if (!yes) return;
    try {
      await del(ctx.orgPath(`/agents/${agent.id}`));
      await load();
    } catch (error) {
      list.prepend(failureNotice(error));
    }
  }

  function agentTable(agents: Agent[]) {
    return table(
      "Agents of this organization",
      [
        { header: "Name", cell: (a) => a.name },
        { header: "Token", cell: (a) => h("code", null, a.preview) },
        { header: "Printers", cell: (a) => a.printer_count },
        { header: "Last seen", cell: (a) => ago(a.last_seen_at) },
        { header: "Created", cell: (a) => dateTime(a.created_at) },
        {
          header: "Status",
          cell: (a) =>
            a.revoked_at
              ? h("span", { class: "badge muted" }, "Revoked")
              : h("span", { class: "badge good" }, "Active"),
        },
        ...(ctx.canManage
          ? [
              {
                header: "Actions",
                cell: (a: Agent) =>
                  a.revoked_at
                    ? null
                    : h(
                        "button",
                        {
                          type: "button",
                          class: "danger",
                          "aria-label": `Revoke ${a.name}`,
                          onclick: () => void revoke(a),
                        },
                        "Revoke",
                      ),
              },
            ]
          : []),
      ],
      agents,
    );
  }

  const create = ctx.canManage
    ? form(
        { label: "Create an agent", submit: "Create agent" },
        [field("Name", input({ name: "name", required: true, placeholder: "e.g. workshop pi" }))],
        async (data, el) => {
          const result = await post<{ id: string; name: string; token: string }>(
            ctx.orgPath("/agents"),
            { name: text(data, "name") ?? "" },
          );
          el.reset();
          replace(
            created,
            h("h2", null, "New agent"),
            onceSecret(
              `agent.json for “${result.data.name}”`,
              agentJson(location.origin, result.data.token),
              [
                h(
                  "p",
                  { class: "hint" },
                  "Save it as agent.json on the computer next to the printers. Under ",
                  h("code", null, "machines"),
                  ", give each printer its OctoPrint ",
                  h("code", null, "url"),
                  " and ",
                  h("code", null, "api_key"),
                  " (one entry per printer), then run ",
                  h("code", null, "apf-agent run --config agent.json"),
                  ".",
                ),
                h(
                  "p",
                  { class: "hint" },
                  "No printer at hand? Start simulated ones from the repository with ",
                  h("code", null, SIMULATOR_COMMAND),
                  " and use these machines:",
                ),
                h("pre", null, JSON.stringify(SIMULATOR_MACHINES, null, 2)),
              ],
            ),
          );
          await load();
        },
      )
    : null;

  replace(
    ctx.main,
    h("h1", null, "Agents"),
    h(
      "p",
      { class: "lead" },
      "An agent runs on the farm's network, reads the printers and reports them here.",
    ),
    created,
    create ? h("section", { class: "card" }, h("h2", null, "Create an agent"), create) : null,
    h("section", null, h("h2", null, "Agents"), list),
  );
  await load();
}
