import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import { BASE } from "../../context.ts";
import type { OrgPageProps } from "../../pages.ts";
import { confirmDialog } from "../../ui/confirm.ts";
import { Failure } from "../../ui/failure.tsx";
import { OnceSecret } from "../../ui/once-secret.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { Invitations } from "./invitations.tsx";
import { InviteForm } from "./invite-form.tsx";
import { LeftBehindList } from "./left-behind.tsx";
import { People } from "./people.tsx";
import type { LeftBehind, Member } from "./types.ts";

/** What the last action handed over: an invitation link, a plain "added", or what a removed person left. */
type Outcome =
  | { kind: "link"; email: string; token: string }
  | { kind: "added" }
  | { kind: "left"; credentials: LeftBehind };

function OutcomeView(props: { orgId: string; outcome: Outcome }) {
  const { outcome } = props;
  if (outcome.kind === "added") return <p role="status">Added.</p>;
  if (outcome.kind === "left") {
    return <LeftBehindList orgId={props.orgId} credentials={outcome.credentials} />;
  }
  return (
    <>
      <h2>Invitation link</h2>
      <p>
        Hand this link to <strong>{outcome.email}</strong> yourself (chat, email). They sign up or
        sign in with that email and accept.
      </p>
      <OnceSecret
        key={outcome.token}
        label="Invitation link"
        secret={`${location.origin}${BASE}/join#token=${outcome.token}`}
      />
    </>
  );
}

/** Members with their roles, pending invitations with the link to hand over, remove and leave. */
export function MembersPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const me = props.me.user.id;
  const [members, reloadMembers] = useLoad(
    () => data(api.GET("/orgs/{orgId}/members", { params: { path: { orgId } } })),
    [orgId],
  );
  const [invitations, reloadInvitations] = useLoad(
    () => data(api.GET("/orgs/{orgId}/invitations", { params: { path: { orgId } } })),
    [orgId],
  );
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function remove(m: Member) {
    const self = m.user.id === me;
    const yes = await confirmDialog(
      self ? `Leave ${props.org.name}?` : `Remove ${m.user.email} from ${props.org.name}?`,
      self ? "Leave" : "Remove member",
      self
        ? "You lose access at once; an owner must invite you again."
        : "They lose access at once.",
    );
    if (!yes) return;
    setError(null);
    try {
      const answer = await data(
        api.DELETE("/orgs/{orgId}/members/{userId}", {
          params: { path: { orgId, userId: m.user.id } },
        }),
      );
      if (self) {
        await props.reload();
        return;
      }
      await reloadMembers();
      setOutcome({ kind: "left", credentials: answer.data.credentials });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <h1>Members</h1>
      <div>{outcome ? <OutcomeView orgId={orgId} outcome={outcome} /> : null}</div>
      <section>
        <h2>People</h2>
        {error ? <Failure error={error} /> : null}
        <People
          orgId={orgId}
          me={me}
          canManage={props.canManage}
          members={members}
          changed={reloadMembers}
          remove={remove}
        />
      </section>
      {props.canManage ? (
        <section class="card">
          <h2>Invite someone</h2>
          <InviteForm
            orgId={orgId}
            invited={async (issued) => {
              setOutcome(issued ? { kind: "link", ...issued } : { kind: "added" });
              await Promise.all([reloadMembers(), reloadInvitations()]);
            }}
          />
        </section>
      ) : null}
      <section>
        <h2>Invitations</h2>
        <Invitations
          orgId={orgId}
          canManage={props.canManage}
          invitations={invitations}
          withdrawn={async (invitation) => {
            // The link shown for it is dead now: stop offering it to hand over.
            setOutcome((shown) =>
              shown?.kind === "link" && shown.email === invitation.email ? null : shown,
            );
            await reloadInvitations();
          }}
        />
      </section>
    </>
  );
}
