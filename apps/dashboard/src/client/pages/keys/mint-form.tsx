import { SCOPE_REGISTRY, SCOPES, type Scope } from "@apf/auth/scopes";
import { api, data } from "../../api/client.ts";
import { ApiForm, Field, FieldError, number, text } from "../../ui/api-form.tsx";
import { splitCodeSpans } from "../../ui/code-spans.ts";

/** End of the chosen day, local time, as the API's ISO-8601. */
function endOfDay(date: string | undefined): string | undefined {
  return date ? new Date(`${date}T23:59:59`).toISOString() : undefined;
}

/** A scope's description (Markdown of the OpenAPI document) with its backtick spans as code. */
function Described(props: { text: string }) {
  return (
    <>
      {splitCodeSpans(props.text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : s.text))}
    </>
  );
}

export interface Minted {
  id: string;
  name: string;
  key: string;
}

/** Mints an API key with its scopes, expiry and budget. */
export function MintForm(props: { orgId: string; minted: (key: Minted) => Promise<void> }) {
  return (
    <ApiForm
      label="Mint an API key"
      submit="Mint key"
      onSubmit={async (form, el) => {
        const answer = await data(
          api.POST("/orgs/{orgId}/api-keys", {
            params: { path: { orgId: props.orgId } },
            body: {
              name: text(form, "name") ?? "",
              scopes: form.getAll("scopes").map(String) as Scope[],
              expires_at: endOfDay(text(form, "expires_at")),
              rate_limit_per_minute: number(form, "rate_limit_per_minute"),
            },
          }),
        );
        el.reset();
        await props.minted(answer.data);
      }}
    >
      <Field label="Name" name="name" required placeholder="e.g. shop integration" />
      <fieldset class="field checkboxes" data-field="scopes">
        <legend>Scopes (what the key may do)</legend>
        {SCOPES.map((s) => (
          <div class="check" key={s}>
            <input type="checkbox" id={`scope-${s}`} name="scopes" value={s} />
            <label for={`scope-${s}`}>
              <strong>{s}</strong> — <Described text={SCOPE_REGISTRY[s].description} />
            </label>
          </div>
        ))}
        <FieldError name="scopes" />
      </fieldset>
      <Field
        label="Expires on (optional)"
        name="expires_at"
        type="date"
        hint="Leave empty for a key that does not expire."
      />
      <Field
        label="Budget, requests per minute (optional)"
        name="rate_limit_per_minute"
        type="number"
        min={1}
        inputMode="numeric"
        hint="Leave empty for the server's default."
      />
    </ApiForm>
  );
}
