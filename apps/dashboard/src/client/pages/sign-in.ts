import { post } from "../api.ts";
import { BASE, navigate, type PublicContext, session } from "../context.ts";
import { h, replace } from "../dom.ts";
import { field, form, input, text } from "../ui/form.ts";

/** Where to go after signing in: only a dashboard path, never another site. */
export function safeNext(query: URLSearchParams): string {
  const next = query.get("next");
  return next?.startsWith(`${BASE}/`) && !next.startsWith("//") ? next : `${BASE}/printers`;
}

export function signInPage(ctx: PublicContext): void {
  const signIn = form(
    { label: "Sign in", submit: "Sign in" },
    [
      field(
        "Email",
        input({ name: "email", type: "email", autocomplete: "username", required: true }),
      ),
      field(
        "Password",
        input({
          name: "password",
          type: "password",
          autocomplete: "current-password",
          required: true,
        }),
      ),
    ],
    async (data) => {
      await post("/auth/login", {
        email: text(data, "email") ?? "",
        password: data.get("password"),
      });
      session.me = null;
      navigate(safeNext(ctx.query));
    },
  );
  replace(
    ctx.main,
    h("h1", null, "Sign in to apf"),
    signIn,
    h("p", null, "No account yet? ", h("a", { href: `${BASE}/sign-up` }, "Sign up"), "."),
  );
}
