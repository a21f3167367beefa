import { del, get, patch, post } from "../api.ts";
import { BASE, type PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Invitation, Member, Role } from "../types.ts";
import { confirmDialog } from "../ui/confirm.ts";
import { field, form, input, select, text } from "../ui/form.ts";
import { dateTime } from "../ui/format.ts";
import { emptyState, failureNotice, flash } from "../ui/notice.ts";
import { onceSecret } from "../ui/secret.ts";
import { table } from "../ui/table.ts";

const ROLES: [Role, string][] = [
  ["member", "member — reads everything"],
  ["admin", "admin — also manages keys, agents, members"],
  ["owner", "owner — everything, including owners"],
];

interface Credential {
  id: string;
  name: string;
}

/** Keys and agents the removed person minted, as the API lists them in its answer. */
function leftBehind(data: Record<string, unknown>): { keys: Credential[]; agents: Credential[] } {
  const source = data.credentials as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? (v as Credential[]) : []);
  return { keys: list(source.api_keys), agents: list(source.agents) };
}

/** Members with their roles, pending invitations with the link to hand over, remove and leave. */
export async function membersPage(ctx: PageContext): Promise<void> {
  const people = h("div");
  const invitations = h("div");
  const issued = h("div");
  const me = ctx.me.user.id;

  async function offerRevoke(data: Record<string, unknown>) {
    const { keys, agents } = leftBehind(data);
    if (keys.length + agents.length === 0) return;
    const items = [
      ...keys.map((k) => ({ ...k, kind: "API key", path: `/api-keys/${k.id}` })),
      ...agents.map((a) => ({ ...a, kind: "agent", path: `/agents/${a.id}` })),
    ];
    replace(
      issued,
      h("h2", null, "Credentials this person minted"),
      h("p", null, "They still work. Revoke the ones nobody else relies on."),
      h(
        "ul",
        null,
        items.map((item) => {
          const button = h(
            "button",
            { type: "button", class: "danger" },
            `Revoke ${item.kind} “${item.name}”`,
          );
          button.addEventListener("click", async () => {
            try {
              await del(ctx.orgPath(item.path));
              button.replaceWith(`${item.kind} “${item.name}” revoked.`);
            } catch (error) {
              button.after(failureNotice(error));
            }
          });
          return h("li", null, button);
        }),
      ),
    );
  }

  async function remove(m: Member) {
    const self = m.user.id === me;
    const yes = await confirmDialog(
      self ? `Leave ${ctx.org.name}?` : `Remove ${m.user.email} from ${ctx.org.name}?`,
      self ? "Leave" : "Remove member",
      self
        ? "You lose access at once; an owner must invite you again."
        : "They lose access at once.",
    );
    if (!yes) return;
    try {
      const res = await del<Record<string, unknown>>(ctx.orgPath(`/members/${m.user.id}`));
      if (self) {
        await ctx.reload();
        return;
      }
      await loadPeople();
      await offerRevoke(res.data);
    } catch (error) {
      people.prepend(failureNotice(error));
    }
  }

  function roleCell(m: Member) {
    if (!ctx.canManage || m.user.id === me) return m.role;
    const roleSelect = select(
      "role",
      ROLES.map(([r]) => [r, r]),
      m.role,
    );
    roleSelect.setAttribute("aria-label", `Role of ${m.user.email}`);
    roleSelect.addEventListener("change", async () => {
      try {
        await patch(ctx.orgPath(`/members/${m.user.id}`), { role: roleSelect.value });
        flash(people, `${m.user.email} is now ${roleSelect.value}.`);
      } catch (error) {
        roleSelect.value = m.role;
        people.prepend(failureNotice(error));
      }
    });
    return roleSelect;
  }

  async function loadPeople() {
    try {
      const members = (await get<Member[]>(ctx.orgPath("/members"))).data;
      replace(
        people,
        table(
          "Members",
          [
            { header: "Email", cell: (m) => m.user.email },
            { header: "Name", cell: (m) => m.user.name ?? "—" },
            { header: "Role", cell: roleCell },
            { header: "Since", cell: (m) => dateTime(m.created_at) },
            {
              header: "Actions",
              cell: (m) =>
                m.user.id === me
                  ? h(
                      "button",
                      { type: "button", onclick: () => void remove(m) },
                      "Leave organization",
                    )
                  : ctx.canManage
                    ? h(
                        "button",
                        {
                          type: "button",
                          class: "danger",
                          "aria-label": `Remove ${m.user.email}`,
                          onclick: () => void remove(m),
                        },
                        "Remove",
                      )
                    : null,
            },
          ],
          members,
        ),
      );
    } catch (error) {
      replace(people, failureNotice(error));
    }
  }

  async function withdraw(i: Invitation) {
    if (!(await confirmDialog(`Withdraw the invitation for ${i.email}?`, "Withdraw"))) return;
    try {
      await del(ctx.orgPath(`/invitations/${i.id}`));
      await loadInvitations();
    } catch (error) {
      invitations.prepend(failureNotice(error));
    }
  }

  async function loadInvitations() {
    try {
      const pending = (await get<Invitation[]>(ctx.orgPath("/invitations"))).data;
      replace(
        invitations,
        pending.length === 0
          ? emptyState(
              "No pending invitations.",
              ctx.canManage ? h("p", null, "Invite someone with the form above.") : null,
            )
          : table(
              "Pending invitations",
              [
                { header: "Email", cell: (i) => i.email },
                { header: "Role", cell: (i) => i.role },
                { header: "Sent", cell: (i) => dateTime(i.created_at) },
                { header: "Expires", cell: (i) => dateTime(i.expires_at) },
                ...(ctx.canManage
                  ? [
                      {
                        header: "Actions",
                        cell: (i: Invitation) =>
                          h(
                            "button",
                            {
                              type: "button",
                              "aria-label": `Withdraw invitation for ${i.email}`,
                              onclick: () => void withdraw(i),
                            },
                            "Withdraw",
                          ),
                      },
                    ]
                  : []),
              ],
              pending,
            ),
      );
    } catch (error) {
      replace(invitations, failureNotice(error));
    }
  }

  const invite = ctx.canManage
    ? form(
        { label: "Invite someone", submit: "Invite" },
        [
          field("Email", input({ name: "email", type: "email", required: true })),
          field("Role", select("role", ROLES, "member")),
        ],
        async (data, el) => {
          const res = await post<{ status: string; invitation: Invitation | null }>(
            ctx.orgPath("/members"),
            {
              email: text(data, "email") ?? "",
              role: data.get("role"),
            },
          );
          el.reset();
          const token = res.data.invitation?.accept_token;
          replace(
            issued,
            token
              ? [
                  h("h2", null, "Invitation link"),
                  h(
                    "p",
                    null,
                    "Hand this link to ",
                    h("strong", null, res.data.invitation!.email),
                    " yourself (chat, email). They sign up or sign in with that email and accept.",
                  ),
                  onceSecret("Invitation link", `${location.origin}${BASE}/join#token=${token}`),
                ]
              : h("p", { role: "status" }, "Added."),
          );
          await Promise.all([loadPeople(), loadInvitations()]);
        },
      )
    : null;

  replace(
    ctx.main,
    h("h1", null, "Members"),
    issued,
    h("section", null, h("h2", null, "People"), people),
    invite ? h("section", { class: "card" }, h("h2", null, "Invite someone"), invite) : null,
    h("section", null, h("h2", null, "Invitations"), invitations),
  );
  await Promise.all([loadPeople(), loadInvitations()]);
}
