import { useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import { BASE, rememberOrganization, session } from "../context.ts";
import type { OpenPageProps } from "../pages.ts";
import { navigate } from "../router.ts";
import { ApiForm, Field, text } from "../ui/api-form.tsx";
import { pendingInvitation } from "./join.tsx";

export function SignUpPage(props: OpenPageProps) {
  const [token, setToken] = useState(() => props.hash.get("invitation") ?? pendingInvitation.get());
  return (
    <>
      <h1>{token ? "Sign up to accept your invitation" : "Create your apf account"}</h1>
      <ApiForm
        label="Sign up"
        submit="Create account"
        onSubmit={async (form) => {
          const created = await data(
            api.POST("/auth/signup", {
              body: {
                email: text(form, "email") ?? "",
                password: String(form.get("password") ?? ""),
                name: text(form, "name"),
                organization_name: text(form, "organization_name") ?? "",
                invitation_token: token ?? undefined,
              },
            }),
          );
          pendingInvitation.clear();
          const me = (await data(api.GET("/me"))).data;
          session.me = me;
          const own = created.data.organization.id;
          const joined = token ? me.memberships.find((m) => m.organization.id !== own) : undefined;
          rememberOrganization(joined?.organization.id ?? own);
          navigate(`${BASE}/printers`);
        }}
      >
        <Field label="Email" name="email" type="email" autocomplete="username" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint="10 to 200 characters; a common password is refused."
        />
        <Field label="Your name (optional)" name="name" autocomplete="name" />
        <Field
          label="Organization name"
          name="organization_name"
          required
          hint={
            token
              ? "Your own organization; you also join the one that invited you."
              : "Your print farm; you can invite others to it later."
          }
        />
        {token ? (
          <Field
            label="Invitation token"
            name="invitation_token"
            value={token}
            readOnly
            hint="From the invitation link you were given; sign up with the email it was sent to."
          />
        ) : null}
      </ApiForm>
      {token ? (
        <p>
          {/* A withdrawn or expired invitation would otherwise hold this tab's sign-up. */}
          <button
            type="button"
            onClick={() => {
              pendingInvitation.clear();
              history.replaceState(null, "", `${BASE}/sign-up`);
              setToken(null);
            }}
          >
            Sign up without this invitation
          </button>
        </p>
      ) : null}
      <p>
        Already have an account? <a href={`${BASE}/sign-in`}>Sign in</a>.
      </p>
    </>
  );
}
