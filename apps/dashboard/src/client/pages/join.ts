import { ApiFailure, get, post } from "../api.ts";
import { BASE, navigate, type PublicContext, rememberOrganization, session } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Me } from "../types.ts";
import { form } from "../ui/form.ts";

const KEY = "apf.invitation";

/** The invitation token the user arrived with, kept for this tab while they sign in or up. */
export const pendingInvitation = {
  get: () => sessionStorage.getItem(KEY),
  set: (token: string) => sessionStorage.setItem(KEY, token),
  clear: () => sessionStorage.removeItem(KEY),
};

/**
 * /dashboard/join#token=apf_inv_…: the link an owner hands over. The token travels in the
 * fragment, which browsers never send to a server or in a Referer.
 */
export async function joinPage(ctx: PublicContext): Promise<void> {
  const fromLink = ctx.hash.get("token");
  if (fromLink) {
    pendingInvitation.set(fromLink);
    history.replaceState(null, "", `${BASE}/join`);
  }
  const token = pendingInvitation.get();
  if (!token) {
    replace(
      ctx.main,
      h("h1", null, "Invitation"),
      h(
        "p",
        null,
        "This link holds no invitation. Ask the person who invited you for the link again.",
      ),
    );
    return;
  }
  let me: Me | null = null;
  try {
    me = (await get<Me>("/me")).data;
  } catch (error) {
    if (!(error instanceof ApiFailure && error.signedOut)) throw error;
  }
  if (!me) {
    replace(
      ctx.main,
      h("h1", null, "You are invited to an apf organization"),
      h(
        "p",
        null,
        "Sign up with the email address the invitation was sent to, or sign in if you already have an account.",
      ),
      h(
        "p",
        { class: "actions" },
        h("a", { class: "button primary", href: `${BASE}/sign-up` }, "Sign up"),
        h(
          "a",
          { class: "button", href: `${BASE}/sign-in?next=${encodeURIComponent(`${BASE}/join`)}` },
          "Sign in",
        ),
      ),
    );
    return;
  }
  const signedIn = me;
  const accept = form({ label: "Accept invitation", submit: "Accept invitation" }, [], async () => {
    const joined = await post<{ organization: { id: string; name: string } }>(
      "/invitations/accept",
      {
        token,
      },
    );
    pendingInvitation.clear();
    session.me = null;
    rememberOrganization(joined.data.organization.id);
    navigate(`${BASE}/printers`);
  });
  replace(
    ctx.main,
    h("h1", null, "Accept your invitation"),
    h(
      "p",
      null,
      "You are signed in as ",
      h("strong", null, signedIn.user.email),
      ". The invitation must be for this email.",
    ),
    accept,
  );
}
