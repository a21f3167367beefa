import { api, data } from "../../api/client.ts";
import type { Role } from "../../api/types.ts";
import { ApiForm, Field, text } from "../../ui/api-form.tsx";

/** The link to hand to the invitee, with their email; null when the API added them directly. */
export type Issued = { email: string; token: string } | null;

/** Invites someone by email with a role; the answer carries the one-time acceptance token. */
export function InviteForm(props: { orgId: string; invited: (issued: Issued) => Promise<void> }) {
  return (
    <ApiForm
      label="Invite someone"
      submit="Invite"
      onSubmit={async (form, el) => {
        const answer = await data(
          api.POST("/orgs/{orgId}/members", {
            params: { path: { orgId: props.orgId } },
            body: { email: text(form, "email") ?? "", role: form.get("role") as Role },
          }),
        );
        el.reset();
        const invitation = answer.data.invitation;
        await props.invited(
          invitation?.accept_token
            ? { email: invitation.email, token: invitation.accept_token }
            : null,
        );
      }}
    >
      <Field label="Email" name="email" type="email" required />
      <Field label="Role" name="role" control="select" defaultValue="member">
        <option value="member">member — reads everything</option>
        <option value="admin">admin — also manages keys, agents, members</option>
        <option value="owner">owner — everything, including owners</option>
      </Field>
    </ApiForm>
  );
}
