import { del, get, post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import { signOut } from "../layout.tsx";
import type { SessionInfo } from "../types.ts";
import { confirmDialog } from "../ui/confirm.ts";
import { field, form, input } from "../ui/form.ts";
import { ago, dateTime } from "../ui/format.ts";
import { failureNotice, flash } from "../ui/notice.ts";
import { table } from "../ui/table.ts";

/** The signed-in user: password change, sessions, sign out. */
export async function accountPage(ctx: PageContext): Promise<void> {
  const sessions = h("div");

  async function loadSessions() {
    try {
      const rows = (await get<SessionInfo[]>("/auth/sessions")).data;
      const endOthers = h(
        "button",
        { type: "button", class: "danger" },
        "Sign out all other sessions",
      );
      endOthers.addEventListener("click", async () => {
        if (!(await confirmDialog("Sign out every other session?", "Sign them out"))) return;
        try {
          await del("/auth/sessions");
          await loadSessions();
          flash(sessions, "Other sessions ended.");
        } catch (error) {
          sessions.prepend(failureNotice(error));
        }
      });
      replace(sessions, [
        table(
          "Your sessions",
          [
            { header: "Started", cell: (s) => dateTime(s.created_at) },
            { header: "Last used", cell: (s) => ago(s.last_used_at) },
            { header: "Address", cell: (s) => s.ip ?? "—" },
            { header: "Browser", cell: (s) => s.user_agent ?? "—" },
            {
              header: "",
              cell: (s) => (s.current ? h("span", { class: "badge good" }, "this one") : null),
            },
          ],
          rows,
        ),
        endOthers,
      ]);
    } catch (error) {
      replace(sessions, failureNotice(error));
    }
  }

  const password = form(
    { label: "Change password", submit: "Change password" },
    [
      field(
        "Current password",
        input({
          name: "current_password",
          type: "password",
          autocomplete: "current-password",
          required: true,
        }),
      ),
      field(
        "New password",
        input({
          name: "new_password",
          type: "password",
          autocomplete: "new-password",
          required: true,
        }),
        "10 to 200 characters; your other sessions are signed out.",
      ),
    ],
    async (data, el) => {
      await post("/auth/password", {
        current_password: data.get("current_password"),
        new_password: data.get("new_password"),
      });
      el.reset();
      flash(el, "Password changed; other sessions were signed out.");
      await loadSessions();
    },
  );
  const out = h("button", { type: "button" }, "Sign out");
  out.addEventListener("click", () => void signOut());
  replace(
    ctx.main,
    h("h1", null, "Account"),
    h("p", null, "Signed in as ", h("strong", null, ctx.me.user.email), "."),
    h("section", { class: "card" }, h("h2", null, "Password"), password),
    h("section", null, h("h2", null, "Sessions"), sessions),
    h("section", null, h("h2", null, "Sign out"), out),
  );
  await loadSessions();
}
