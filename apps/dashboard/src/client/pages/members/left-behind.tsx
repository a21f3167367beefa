import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import { Failure } from "../../ui/failure.tsx";
import type { LeftBehind } from "./types.ts";

interface Credential {
  id: string;
  name: string;
  kind: "API key" | "agent";
}

function RevokeButton(props: { orgId: string; item: Credential }) {
  const { item, orgId } = props;
  const [state, setState] = useState<{ done: boolean; error: unknown }>({
    done: false,
    error: null,
  });
  if (state.done) return <>{`${item.kind} “${item.name}” revoked.`}</>;
  async function revoke() {
    try {
      await data(
        item.kind === "agent"
          ? api.DELETE("/orgs/{orgId}/agents/{agentId}", {
              params: { path: { orgId, agentId: item.id } },
            })
          : api.DELETE("/orgs/{orgId}/api-keys/{keyId}", {
              params: { path: { orgId, keyId: item.id } },
            }),
      );
      setState({ done: true, error: null });
    } catch (error) {
      setState({ done: false, error });
    }
  }
  return (
    <>
      <button type="button" class="danger" onClick={() => void revoke()}>
        {`Revoke ${item.kind} “${item.name}”`}
      </button>
      {state.error ? <Failure error={state.error} /> : null}
    </>
  );
}

/** The credentials a removed person minted: they still work, so offer to revoke each. */
export function LeftBehindList(props: { orgId: string; credentials: LeftBehind }) {
  const items: Credential[] = [
    ...props.credentials.api_keys.map((k) => ({
      id: k.id,
      name: k.name,
      kind: "API key" as const,
    })),
    ...props.credentials.agents.map((a) => ({ id: a.id, name: a.name, kind: "agent" as const })),
  ];
  if (items.length === 0) return null;
  return (
    <>
      <h2>Credentials this person minted</h2>
      <p>They still work. Revoke the ones nobody else relies on.</p>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <RevokeButton orgId={props.orgId} item={item} />
          </li>
        ))}
      </ul>
    </>
  );
}
