import { useEffect, useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import { ApiFailure } from "../api/failure.ts";
import type { Me } from "../api/types.ts";
import { BASE, rememberOrganization, session } from "../context.ts";
import type { OpenPageProps } from "../pages.ts";
import { navigate } from "../router.ts";
import { ApiForm } from "../ui/api-form.tsx";
import { Failure } from "../ui/failure.tsx";

const KEY = "apf.invitation";

/** The invitation token the user arrived with, kept for this tab while they sign in or up. */
export const pendingInvitation = {
  get: () => sessionStorage.getItem(KEY),
  set: (token: string) => sessionStorage.setItem(KEY, token),
  clear: () => sessionStorage.removeItem(KEY),
};

/** Takes the token out of the address bar (it travels in the fragment, never to a server). */
function takeToken(hash: URLSearchParams): string | null {
  const fromLink = hash.get("token");
  if (fromLink) {
    pendingInvitation.set(fromLink);
    history.replaceState(null, "", `${BASE}/join`);
  }
  return pendingInvitation.get();
}

/** /dashboard/join#token=apf_inv_…: the link an owner hands over. */
export function JoinPage(props: OpenPageProps) {
  const [token] = useState(() => takeToken(props.hash));
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!token) return;
    data(api.GET("/me")).then(
      (answer) => setMe(answer.data),
      (e: unknown) => (e instanceof ApiFailure && e.signedOut ? setMe(null) : setError(e)),
    );
  }, [token]);

  if (!token) {
    return (
      <>
        <h1>Invitation</h1>
        <p>This link holds no invitation. Ask the person who invited you for the link again.</p>
      </>
    );
  }
  if (error) return <Failure error={error} />;
  if (me === undefined) return <p class="loading">Loading…</p>;
  if (me === null) {
    return (
      <>
        <h1>You are invited to an apf organization</h1>
        <p>
          Sign up with the email address the invitation was sent to, or sign in if you already have
          an account.
        </p>
        <p class="actions">
          <a class="button primary" href={`${BASE}/sign-up`}>
            Sign up
          </a>
          <a class="button" href={`${BASE}/sign-in?next=${encodeURIComponent(`${BASE}/join`)}`}>
            Sign in
          </a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Accept your invitation</h1>
      <p>
        You are signed in as <strong>{me.user.email}</strong>. The invitation must be for this
        email.
      </p>
      <ApiForm
        label="Accept invitation"
        submit="Accept invitation"
        onSubmit={async () => {
          const joined = await data(api.POST("/invitations/accept", { body: { token } }));
          pendingInvitation.clear();
          session.me = null;
          rememberOrganization(joined.data.organization.id);
          navigate(`${BASE}/printers`);
        }}
      />
    </>
  );
}
