import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Role } from "../../api/types.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { Failure } from "../../ui/failure.tsx";
import { dateTime } from "../../ui/format.ts";
import type { Loaded } from "../../ui/use-load.ts";
import type { Member } from "./types.ts";

const ROLES: Role[] = ["member", "admin", "owner"];

/** The organization's members: roles changed in place, removal, and leaving for oneself. */
export function People(props: {
  orgId: string;
  me: string;
  canManage: boolean;
  members: Loaded<{ data: Member[] }>;
  changed: () => Promise<void>;
  remove: (member: Member) => Promise<void>;
}) {
  const { orgId, me, members } = props;
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function changeRole(m: Member, select: HTMLSelectElement) {
    const role = select.value as Role;
    setError(null);
    setFlash(null);
    try {
      await data(
        api.PATCH("/orgs/{orgId}/members/{userId}", {
          params: { path: { orgId, userId: m.user.id } },
          body: { role },
        }),
      );
      setFlash(`${m.user.email} is now ${role}.`);
      await props.changed();
    } catch (err) {
      select.value = m.role;
      setError(err);
    }
  }

  function roleCell(m: Member) {
    if (!props.canManage || m.user.id === me) return m.role;
    return (
      <select
        name="role"
        aria-label={`Role of ${m.user.email}`}
        value={m.role}
        onChange={(e) => void changeRole(m, e.currentTarget)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    );
  }

  function actions(m: Member) {
    if (m.user.id === me) {
      return (
        <button type="button" onClick={() => void props.remove(m)}>
          Leave organization
        </button>
      );
    }
    if (!props.canManage) return null;
    return (
      <button
        type="button"
        class="danger"
        aria-label={`Remove ${m.user.email}`}
        onClick={() => void props.remove(m)}
      >
        Remove
      </button>
    );
  }

  if (members.state === "loading") return <p class="loading">Loading the members…</p>;
  if (members.state === "failed") return <Failure error={members.error} />;
  return (
    <>
      {flash ? (
        <p class="flash" role="status">
          {flash}
        </p>
      ) : null}
      {error ? <Failure error={error} /> : null}
      <DataTable<Member & { id: string }>
        caption="Members"
        rows={members.value.data.map((m) => ({ ...m, id: m.user.id }))}
        columns={[
          { header: "Email", cell: (m) => m.user.email },
          { header: "Name", cell: (m) => m.user.name ?? "—" },
          { header: "Role", cell: roleCell },
          { header: "Since", cell: (m) => dateTime(m.created_at) },
          { header: "Actions", cell: actions },
        ]}
      />
    </>
  );
}
