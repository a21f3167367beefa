import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Answer } from "../../api/types.ts";
import type { OrgPageProps } from "../../pages.ts";
import { ApiForm, Field, text } from "../../ui/api-form.tsx";
import { confirmDialog } from "../../ui/confirm.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { Empty } from "../../ui/empty.tsx";
import { Failure } from "../../ui/failure.tsx";
import { ago, dateTime } from "../../ui/format.ts";
import { useLoad } from "../../ui/use-load.ts";
import { AgentJsonHint } from "./agent-json-hint.tsx";

type Agent = Answer<"/orgs/{orgId}/agents">["data"][number];

/** The farm's agents: create one (its agent.json shown once), see when each last reported, revoke. */
export function AgentsPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [agents, reload] = useLoad(
    () => data(api.GET("/orgs/{orgId}/agents", { params: { path: { orgId } } })),
    [orgId],
  );
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function revoke(agent: Agent) {
    const yes = await confirmDialog(
      `Revoke the agent “${agent.name}”?`,
      "Revoke agent",
      "Its reports are refused at once; its printers stop updating.",
    );
    if (!yes) return;
    setError(null);
    try {
      await data(
        api.DELETE("/orgs/{orgId}/agents/{agentId}", {
          params: { path: { orgId, agentId: agent.id } },
        }),
      );
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  let list: preact.ComponentChildren;
  if (agents.state === "loading") list = <p class="loading">Loading the agents…</p>;
  else if (agents.state === "failed") list = <Failure error={agents.error} />;
  else if (agents.value.data.length === 0) {
    list = (
      <Empty title="No agents yet.">
        <p>
          {props.canManage
            ? "Create one above, save its agent.json next to the farm's printers and run "
            : "An owner or admin can create one; on the farm it runs as "}
          <code>apf-agent run --config agent.json</code>.
        </p>
      </Empty>
    );
  } else {
    list = (
      <DataTable<Agent>
        caption="Agents of this organization"
        rows={agents.value.data}
        columns={[
          { header: "Name", cell: (a) => a.name },
          { header: "Token", cell: (a) => <code>{a.preview}</code> },
          { header: "Printers", cell: (a) => a.printer_count },
          { header: "Last seen", cell: (a) => ago(a.last_seen_at) },
          { header: "Created", cell: (a) => dateTime(a.created_at) },
          {
            header: "Status",
            cell: (a) =>
              a.revoked_at ? (
                <span class="badge muted">Revoked</span>
              ) : (
                <span class="badge good">Active</span>
              ),
          },
          ...(props.canManage
            ? [
                {
                  header: "Actions",
                  cell: (a: Agent) =>
                    a.revoked_at ? null : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke ${a.name}`}
                        onClick={() => void revoke(a)}
                      >
                        Revoke
                      </button>
                    ),
                },
              ]
            : []),
        ]}
      />
    );
  }

  return (
    <>
      <h1>Agents</h1>
      <p class="lead">
        An agent runs on the farm's network, reads the printers and reports them here.
      </p>
      {created ? <AgentJsonHint name={created.name} token={created.token} /> : null}
      {props.canManage ? (
        <section class="card">
          <h2>Create an agent</h2>
          <ApiForm
            label="Create an agent"
            submit="Create agent"
            onSubmit={async (form, el) => {
              const answer = await data(
                api.POST("/orgs/{orgId}/agents", {
                  params: { path: { orgId } },
                  body: { name: text(form, "name") ?? "" },
                }),
              );
              el.reset();
              setCreated({ name: answer.data.name, token: answer.data.token });
              await reload();
            }}
          >
            <Field label="Name" name="name" required placeholder="e.g. workshop pi" />
          </ApiForm>
        </section>
      ) : null}
      <section>
        <h2>Agents</h2>
        {error ? <Failure error={error} /> : null}
        {list}
      </section>
    </>
  );
}
