import { useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import { signOut } from "../layout.tsx";
import type { OrgPageProps } from "../pages.ts";
import { ApiForm, Field } from "../ui/api-form.tsx";
import { confirmDialog } from "../ui/confirm.ts";
import { Failure } from "../ui/failure.tsx";
import { ago, dateTime } from "../ui/format.ts";
import { useLoad } from "../ui/use-load.ts";

/** The signed-in user: password change, sessions, sign out. */
export function AccountPage(props: OrgPageProps) {
  const [sessions, reload] = useLoad(() => data(api.GET("/auth/sessions")), []);
  const [said, setSaid] = useState("");
  const [error, setError] = useState<unknown>(null);

  async function endOthers() {
    if (!(await confirmDialog("Sign out every other session?", "Sign them out"))) return;
    setError(null);
    try {
      await data(api.DELETE("/auth/sessions"));
      setSaid("Other sessions ended.");
      await reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <h1>Account</h1>
      <p>
        Signed in as <strong>{props.me.user.email}</strong>.
      </p>
      <section class="card">
        <h2>Password</h2>
        <ApiForm
          label="Change password"
          submit="Change password"
          onSubmit={async (form, el) => {
            await data(
              api.POST("/auth/password", {
                body: {
                  current_password: String(form.get("current_password") ?? ""),
                  new_password: String(form.get("new_password") ?? ""),
                },
              }),
            );
            el.reset();
            setSaid("Password changed; other sessions were signed out.");
            await reload();
          }}
        >
          <Field
            label="Current password"
            name="current_password"
            type="password"
            autocomplete="current-password"
            required
          />
          <Field
            label="New password"
            name="new_password"
            type="password"
            autocomplete="new-password"
            required
            hint="10 to 200 characters; your other sessions are signed out."
          />
        </ApiForm>
      </section>
      <p class="flash" role="status" hidden={!said}>
        {said}
      </p>
      <section>
        <h2>Sessions</h2>
        {error ? <Failure error={error} /> : null}
        {sessions.state === "loading" ? <p class="loading">Loading sessions…</p> : null}
        {sessions.state === "failed" ? <Failure error={sessions.error} /> : null}
        {sessions.state === "ready" ? (
          <>
            <div class="table-wrap">
              <table>
                <caption>Your sessions</caption>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Address</th>
                    <th scope="col">Browser</th>
                    <th scope="col">This one</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.value.data.map((s) => (
                    <tr key={s.id}>
                      <td>{dateTime(s.created_at)}</td>
                      <td>{ago(s.last_used_at)}</td>
                      <td>{s.ip ?? "—"}</td>
                      <td>{s.user_agent ?? "—"}</td>
                      <td>{s.current ? <span class="badge good">this one</span> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <button type="button" class="danger" onClick={() => void endOthers()}>
              Sign out all other sessions
            </button>
          </>
        ) : null}
      </section>
      <section>
        <h2>Sign out</h2>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </section>
    </>
  );
}
