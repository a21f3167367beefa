import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import { confirmDialog } from "../../ui/confirm.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { Empty } from "../../ui/empty.tsx";
import { Failure } from "../../ui/failure.tsx";
import { dateTime } from "../../ui/format.ts";
import type { Loaded } from "../../ui/use-load.ts";
import type { Invitation } from "./types.ts";

/** Pending invitations, each withdrawable by an owner or admin. */
export function Invitations(props: {
  orgId: string;
  canManage: boolean;
  invitations: Loaded<{ data: Invitation[] }>;
  /** After an invitation was withdrawn (its link no longer works). */
  withdrawn: (invitation: Invitation) => Promise<void>;
}) {
  const { orgId, invitations } = props;
  const [error, setError] = useState<unknown>(null);

  async function withdraw(i: Invitation) {
    if (!(await confirmDialog(`Withdraw the invitation for ${i.email}?`, "Withdraw"))) return;
    setError(null);
    try {
      await data(
        api.DELETE("/orgs/{orgId}/invitations/{invitationId}", {
          params: { path: { orgId, invitationId: i.id } },
        }),
      );
      await props.withdrawn(i);
    } catch (err) {
      setError(err);
    }
  }

  if (invitations.state === "loading") return <p class="loading">Loading the invitations…</p>;
  if (invitations.state === "failed") return <Failure error={invitations.error} />;
  if (invitations.value.data.length === 0) {
    return (
      <Empty title="No pending invitations.">
        {props.canManage ? <p>Invite someone with the form above.</p> : null}
      </Empty>
    );
  }
  return (
    <>
      {error ? <Failure error={error} /> : null}
      <DataTable<Invitation>
        caption="Pending invitations"
        rows={invitations.value.data}
        columns={[
          { header: "Email", cell: (i) => i.email },
          { header: "Role", cell: (i) => i.role },
          { header: "Sent", cell: (i) => dateTime(i.created_at) },
          { header: "Expires", cell: (i) => dateTime(i.expires_at) },
          ...(props.canManage
            ? [
                {
                  header: "Actions",
                  cell: (i: Invitation) => (
                    <button
                      type="button"
                      aria-label={`Withdraw invitation for ${i.email}`}
                      onClick={() => void withdraw(i)}
                    >
                      Withdraw
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
