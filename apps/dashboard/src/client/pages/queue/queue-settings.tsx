import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import { ApiForm, Field } from "../../ui/api-form.tsx";
import { Failure } from "../../ui/failure.tsx";
import { useLoad } from "../../ui/use-load.ts";

/** The organization's queue settings: start jobs by themselves, and how far apart. */
export function QueueSettings(props: { orgId: string; canManage: boolean }) {
  const path = { orgId: props.orgId };
  const [org] = useLoad(() => data(api.GET("/orgs/{orgId}", { params: { path } })), [props.orgId]);
  const [saved, setSaved] = useState(false);
  if (org.state === "loading") return <p class="loading">Loading the settings…</p>;
  if (org.state === "failed") return <Failure error={org.error} />;
  const settings = org.value.data;
  return (
    <ApiForm
      label="Queue settings"
      submit="Save queue settings"
      class="stack inline-settings"
      onSubmit={async (form) => {
        setSaved(false);
        await data(
          api.PATCH("/orgs/{orgId}", {
            params: { path },
            body: {
              auto_start: form.get("auto_start") === "on",
              start_spacing_seconds: Number(form.get("start_spacing_seconds") ?? 0),
            },
          }),
        );
        setSaved(true);
      }}
    >
      <div class="check" data-field="auto_start">
        <input
          type="checkbox"
          id="queue-auto-start"
          name="auto_start"
          defaultChecked={settings.auto_start}
          disabled={!props.canManage}
        />
        <label for="queue-auto-start">
          <strong>Start jobs by themselves</strong> — a ready printer with a cleared bed takes the
          next job that fits
        </label>
      </div>
      <Field
        label="Seconds between starts"
        name="start_spacing_seconds"
        type="number"
        min={0}
        max={3600}
        defaultValue={String(settings.start_spacing_seconds)}
        readOnly={!props.canManage}
        hint="0 to 3600: spreads the farm's heat-up current over time."
      />
      {saved ? (
        <p class="flash" role="status">
          Queue settings saved.
        </p>
      ) : null}
    </ApiForm>
  );
}
