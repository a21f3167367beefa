import { api, data } from "../api/client.ts";
import { BASE, session } from "../context.ts";
import type { OpenPageProps } from "../pages.ts";
import { navigate } from "../router.ts";
import { ApiForm, Field, text } from "../ui/api-form.tsx";

/** Where to go after signing in: only a dashboard path, never another site. */
export function safeNext(query: URLSearchParams): string {
  const next = query.get("next");
  return next?.startsWith(`${BASE}/`) && !next.startsWith("//") ? next : `${BASE}/printers`;
}

export function SignInPage(props: OpenPageProps) {
  return (
    <>
      <h1>Sign in to apf</h1>
      <ApiForm
        label="Sign in"
        submit="Sign in"
        onSubmit={async (form) => {
          await data(
            api.POST("/auth/login", {
              body: {
                email: text(form, "email") ?? "",
                password: String(form.get("password") ?? ""),
              },
            }),
          );
          session.me = null;
          navigate(safeNext(props.query));
        }}
      >
        <Field label="Email" name="email" type="email" autocomplete="username" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
      </ApiForm>
      <p>
        No account yet? <a href={`${BASE}/sign-up`}>Sign up</a>.
      </p>
    </>
  );
}
