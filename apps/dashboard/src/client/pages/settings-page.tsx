import { useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import type { OrgPageProps } from "../pages.ts";
import { ApiForm, Field, text } from "../ui/api-form.tsx";
import { Failure } from "../ui/failure.tsx";
import { useLoad } from "../ui/use-load.ts";

/** The browser's list of IANA time zones (empty where the browser has none). */
function timeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

/** The organization's name, time zone (analytics' days) and the origins allowed to call /public/v1. */
export function SettingsPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [org, reload] = useLoad(
    () => data(api.GET("/orgs/{orgId}", { params: { path: { orgId } } })),
    [orgId],
  );
  const [saved, setSaved] = useState(false);
  if (org.state === "loading") return <p class="loading">Loading the settings…</p>;
  if (org.state === "failed") return <Failure error={org.error} />;
  const o = org.value.data;
  const readOnly = !props.canManage;
  const fields = (
    <>
      <Field
        label="Organization name"
        name="name"
        defaultValue={o.name}
        required
        readOnly={readOnly}
      />
      <Field
        label="Time zone"
        name="time_zone"
        defaultValue={o.time_zone}
        {...({ list: "time-zones" } as object)}
        readOnly={readOnly}
        hint="Where the farm is: analytics count days in it (e.g. Europe/Berlin). After a change, analytics take a few seconds to regroup their days."
      />
      <datalist id="time-zones">
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field
        label="Allowed origins"
        name="allowed_origins"
        control="textarea"
        rows={4}
        defaultValue={o.allowed_origins.join("\n")}
        readOnly={readOnly}
        hint="One per line, e.g. https://shop.example.com: web pages on these origins may call /public/v1 from the browser. Empty: none; * alone: any."
      />
    </>
  );
  return (
    <>
      <h1>Settings</h1>
      <section class="card">
        {props.canManage ? (
          <ApiForm
            label="Organization settings"
            submit="Save settings"
            onSubmit={async (form) => {
              setSaved(false);
              const origins = String(form.get("allowed_origins") ?? "")
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean);
              await data(
                api.PATCH("/orgs/{orgId}", {
                  params: { path: { orgId } },
                  body: {
                    name: text(form, "name") ?? "",
                    time_zone: text(form, "time_zone") ?? "",
                    allowed_origins: origins,
                  },
                }),
              );
              setSaved(true);
              await reload();
              await props.reload();
            }}
          >
            {fields}
            {saved ? (
              <p class="flash" role="status">
                Settings saved.
              </p>
            ) : null}
          </ApiForm>
        ) : (
          <div class="stack">
            {fields}
            <p class="muted">Only owners and admins change these.</p>
          </div>
        )}
      </section>
      <p>
        The queue's settings (start jobs by themselves, seconds between starts) are on the{" "}
        <a href="/dashboard/queue">Queue</a> page.
      </p>
    </>
  );
}
