import { useEffect } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { components } from "../../api/dashboard-api.generated.ts";
import { Failure } from "../../ui/failure.tsx";
import { ago } from "../../ui/format.ts";
import { useLoad } from "../../ui/use-load.ts";

type Delivery = components["schemas"]["WebhookDelivery"];

/** An endpoint's recent deliveries: what was sent, how the receiver answered, send again. */
export function Deliveries(props: {
  orgId: string;
  endpointId: string;
  url: string;
  version: number;
}) {
  const path = { orgId: props.orgId, endpointId: props.endpointId };
  const [list, reload] = useLoad(
    () =>
      data(
        api.GET("/orgs/{orgId}/webhook-endpoints/{endpointId}/deliveries", { params: { path } }),
      ),
    [props.orgId, props.endpointId],
  );
  // A test just sent, or a delivery pending: look again shortly.
  const pending = list.state === "ready" && list.value.data.some((d) => d.status === "pending");
  useEffect(() => {
    void reload();
  }, [props.version]);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => void reload(), 1000);
    return () => clearTimeout(timer);
  });

  if (list.state === "loading") return <p class="loading">Loading deliveries…</p>;
  if (list.state === "failed") return <Failure error={list.error} />;
  if (list.value.data.length === 0) return <p class="muted">No delivery yet. Send a test event.</p>;
  const answer = (d: Delivery) =>
    d.http_status !== null ? `HTTP ${d.http_status}` : (d.error ?? "no answer yet");
  return (
    <div class="table-wrap">
      <table>
        <caption>{`Deliveries to ${props.url}`}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Answer</th>
            <th scope="col">Attempts</th>
            <th scope="col">When</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.value.data.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.event_type}</code>
              </td>
              <td>
                <span
                  class={`badge ${d.status === "delivered" ? "good" : d.status === "failed" ? "bad" : "warn"}`}
                >
                  {d.status}
                </span>
              </td>
              <td>
                {answer(d)}
                {d.duration_ms !== null ? ` in ${d.duration_ms} ms` : ""}
              </td>
              <td>{d.attempts}</td>
              <td>{ago(d.last_attempt_at ?? d.created_at)}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Send ${d.event_type} again`}
                  onClick={async () => {
                    await data(
                      api.POST(
                        "/orgs/{orgId}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver",
                        {
                          params: { path: { ...path, deliveryId: d.id } },
                        },
                      ),
                    ).catch(() => undefined);
                    await reload();
                  }}
                >
                  Send again
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
