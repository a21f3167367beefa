import { EVENT_TYPES, type EventType } from "@apf/domain";
import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { components } from "../../api/dashboard-api.generated.ts";
import type { OrgPageProps } from "../../pages.ts";
import { ApiForm, Field, FieldError, text } from "../../ui/api-form.tsx";
import { confirmDialog } from "../../ui/confirm.ts";
import { Failure } from "../../ui/failure.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { Deliveries } from "./deliveries.tsx";

type Endpoint = components["schemas"]["WebhookEndpoint"];

function EndpointCard(props: { orgId: string; endpoint: Endpoint; changed: () => void }) {
  const { endpoint: e, orgId } = props;
  const path = { orgId, endpointId: e.id };
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <article class="card" aria-label={e.url}>
      <header>
        <h3 class="file-name">{e.url}</h3>
        <span class={`badge ${e.enabled ? "good" : "bad"}`}>
          {e.enabled ? "enabled" : "disabled"}
        </span>
      </header>
      {e.description ? <p>{e.description}</p> : null}
      {e.disabled_reason ? <p class="error-text">{e.disabled_reason}</p> : null}
      <p class="muted">
        Events:{" "}
        {e.event_types.length === 0
          ? "all (printer.updated only when named)"
          : e.event_types.join(", ")}
      </p>
      <div class="row-actions">
        <button
          type="button"
          class="primary"
          onClick={() =>
            void run(() =>
              data(
                api.POST("/orgs/{orgId}/webhook-endpoints/{endpointId}/test", { params: { path } }),
              ),
            )
          }
        >
          Send test event
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const rolled = await data(
                api.POST("/orgs/{orgId}/webhook-endpoints/{endpointId}/roll-secret", {
                  params: { path },
                }),
              );
              setSecret(rolled.data.secret);
            })
          }
        >
          Roll secret
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              await data(
                api.PATCH("/orgs/{orgId}/webhook-endpoints/{endpointId}", {
                  params: { path },
                  body: { enabled: !e.enabled },
                }),
              );
              props.changed();
            })
          }
        >
          {e.enabled ? "Disable" : "Enable"}
        </button>
        <button
          type="button"
          class="danger"
          aria-label={`Delete the endpoint ${e.url}`}
          onClick={async () => {
            if (!(await confirmDialog(`Delete the endpoint ${e.url}?`, "Delete endpoint"))) return;
            await run(() =>
              data(
                api.DELETE("/orgs/{orgId}/webhook-endpoints/{endpointId}", { params: { path } }),
              ),
            );
            props.changed();
          }}
        >
          Delete
        </button>
      </div>
      {secret ? <Secret label={`New signing secret for ${e.url}`} value={secret} /> : null}
      {error ? <Failure error={error} /> : null}
      <Deliveries orgId={orgId} endpointId={e.id} url={e.url} version={version} />
    </article>
  );
}

function Secret(props: { label: string; value: string }) {
  return (
    <div class="once">
      <label>
        {props.label}
        <input
          class="secret"
          readOnly
          value={props.value}
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
      </label>
      <p class="warning">
        Copy it now: you will not see it again. Receivers verify signatures with it.
      </p>
    </div>
  );
}

/** Where the farm's events are POSTed (Standard Webhooks), each endpoint's deliveries, tests. */
export function WebhooksPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [list, reload] = useLoad(
    () =>
      props.canManage
        ? data(api.GET("/orgs/{orgId}/webhook-endpoints", { params: { path: { orgId } } }))
        : Promise.resolve(null),
    [orgId, props.canManage],
  );
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  if (!props.canManage) {
    return (
      <>
        <h1>Webhooks</h1>
        <p>Only owners and admins manage webhook endpoints.</p>
      </>
    );
  }
  let body: preact.ComponentChildren;
  if (list.state === "loading") body = <p class="loading">Loading endpoints…</p>;
  else if (list.state === "failed") body = <Failure error={list.error} />;
  else if (!list.value || list.value.data.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>No endpoints yet.</strong>
        </p>
        <p>Add one above; apf then POSTs each event to it, signed, retried until it lands.</p>
      </div>
    );
  } else {
    body = list.value.data.map((e) => (
      <EndpointCard key={e.id} orgId={orgId} endpoint={e} changed={() => void reload()} />
    ));
  }
  return (
    <>
      <h1>Webhooks</h1>
      <section class="card">
        <h2>Add an endpoint</h2>
        <ApiForm
          label="Add an endpoint"
          submit="Add endpoint"
          onSubmit={async (form, el) => {
            const types = form.getAll("event_types").map(String) as EventType[];
            const answer = await data(
              api.POST("/orgs/{orgId}/webhook-endpoints", {
                params: { path: { orgId } },
                body: {
                  url: text(form, "url") ?? "",
                  description: text(form, "description") ?? null,
                  event_types: types,
                },
              }),
            );
            setCreated({ url: answer.data.url, secret: answer.data.secret });
            el.reset();
            await reload();
          }}
        >
          <Field
            label="URL"
            name="url"
            type="url"
            placeholder="https://example.com/apf-hooks"
            required
            hint="https:// (the receiver's address); apf refuses private addresses."
          />
          <Field label="Description (optional)" name="description" />
          <fieldset class="field checkboxes" data-field="event_types">
            <legend>Events (none checked: all but printer.updated)</legend>
            <div class="columns">
              {EVENT_TYPES.map((t) => (
                <div class="check" key={t}>
                  <input type="checkbox" id={`evt-${t}`} name="event_types" value={t} />
                  <label for={`evt-${t}`}>
                    <code>{t}</code>
                  </label>
                </div>
              ))}
            </div>
            <FieldError name="event_types" />
          </fieldset>
        </ApiForm>
        {created ? (
          <Secret label={`Signing secret for ${created.url}`} value={created.secret} />
        ) : null}
      </section>
      <section>
        <h2>Endpoints</h2>
        {body}
      </section>
    </>
  );
}
