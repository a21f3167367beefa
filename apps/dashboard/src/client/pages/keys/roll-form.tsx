import { api, data } from "../../api/client.ts";
import { ApiForm, Field } from "../../ui/api-form.tsx";
import type { ApiKey } from "./key-status.ts";
import type { Minted } from "./mint-form.tsx";

/** Replaces a key by a new one; the old one keeps working for the chosen grace. */
export function RollForm(props: {
  orgId: string;
  apiKey: ApiKey;
  rolled: (key: Minted) => Promise<void>;
}) {
  const { apiKey } = props;
  return (
    <details class="roll">
      <summary>Roll…</summary>
      <ApiForm
        label={`Roll ${apiKey.name}`}
        submit="Roll"
        class="inline"
        onSubmit={async (form) => {
          const answer = await data(
            api.POST("/orgs/{orgId}/api-keys/{keyId}/roll", {
              params: { path: { orgId: props.orgId, keyId: apiKey.id } },
              body: { grace_hours: Number(form.get("grace_hours")) },
            }),
          );
          await props.rolled(answer.data);
        }}
      >
        <Field
          label="Old key keeps working for"
          name="grace_hours"
          control="select"
          defaultValue="24"
        >
          <option value="0">Stop the old key now</option>
          <option value="1">1 hour</option>
          <option value="24">24 hours</option>
          <option value="72">72 hours</option>
        </Field>
      </ApiForm>
    </details>
  );
}
