import { useEffect } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { components } from "../../api/dashboard-api.generated.ts";
import { DataTable } from "../../ui/data-table.tsx";
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
    <DataTable
      caption={`Deliveries to ${props.url}`}
      rows={list.value.data}
      columns={[
        { header: "Event", cell: (d) => <code>{d.event_type}</code> },
        {
          header: "Status",
          cell: (d) => (
            <span
              class={`badge ${d.status === "delivered" ? "good" : d.status === "failed" ? "bad" : "warn"}`}
            >
              {d.status}
            </span>
          ),
        },
        {
          header: "Answer",
          cell: (d) => (
            <>
              {answer(d)}
              {d.duration_ms !== null ? ` in ${d.duration_ms} ms` : ""}
            </>
          ),
        },
        { header: "Attempts", cell: (d) => d.attempts },
        { header: "When", cell: (d) => ago(d.last_attempt_at ?? d.created_at) },
        {
          header: "Actions",
          cell: (d) => (
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
          ),
        },
      ]}
    />
  );
}
