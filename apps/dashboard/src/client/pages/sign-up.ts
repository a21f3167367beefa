import { get, post } from "../api.ts";
import { BASE, navigate, type PublicContext, rememberOrganization, session } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Me } from "../types.ts";
import { field, form, input, text } from "../ui/form.ts";
import { pendingInvitation } from "./join.ts";

export function signUpPage(ctx: PublicContext): void {
  const token = ctx.hash.get("invitation") ?? pendingInvitation.get();
  const signUp = form(
    { label: "Sign up", submit: "Create account" },
    [
      field(
        "Email",
        input({ name: "email", type: "email", autocomplete: "username", required: true }),
      ),
      field(
        "Password",
        input({ name: "password", type: "password", autocomplete: "new-password", required: true }),
        "10 to 200 characters; a common password is refused.",
      ),
      field("Your name (optional)", input({ name: "name", autocomplete: "name" })),
      field(
        "Organization name",
        input({ name: "organization_name", required: true }),
        token
          ? "Your own organization; you also join the one that invited you."
          : "Your print farm; you can invite others to it later.",
      ),
      token
        ? field(
            "Invitation token",
            input({ name: "invitation_token", value: token, readonly: true }),
            "From the invitation link you were given; sign up with the email it was sent to.",
          )
        : null,
    ],
    async (data) => {
      const created = await post<{ organization: { id: string } }>("/auth/signup", {
        email: text(data, "email") ?? "",
        password: data.get("password"),
        name: text(data, "name"),
        organization_name: text(data, "organization_name") ?? "",
        invitation_token: token ?? undefined,
      });
      pendingInvitation.clear();
      session.me = (await get<Me>("/me")).data;
      const joined = token
        ? session.me.memberships.find((m) => m.organization.id !== created.data.organization.id)
        : undefined;
      rememberOrganization(joined?.organization.id ?? created.data.organization.id);
      navigate(`${BASE}/printers`);
    },
  );
  replace(
    ctx.main,
    h("h1", null, token ? "Sign up to accept your invitation" : "Create your apf account"),
    signUp,
    h("p", null, "Already have an account? ", h("a", { href: `${BASE}/sign-in` }, "Sign in"), "."),
  );
}
