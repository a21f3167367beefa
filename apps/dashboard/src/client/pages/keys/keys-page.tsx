import { useEffect, useRef, useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { OrgPageProps } from "../../pages.ts";
import { confirmDialog } from "../../ui/confirm.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { Empty } from "../../ui/empty.tsx";
import { Failure } from "../../ui/failure.tsx";
import { ago, dateTime } from "../../ui/format.ts";
import { OnceSecret } from "../../ui/once-secret.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { type ApiKey, keyStatus } from "./key-status.ts";
import { type Minted, MintForm } from "./mint-form.tsx";
import { RollForm } from "./roll-form.tsx";

/** The organization's API keys: mint (the key shown once), roll, revoke, see when each was used. */
export function KeysPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [keys, reload] = useLoad(
    () => data(api.GET("/orgs/{orgId}/api-keys", { params: { path: { orgId } } })),
    [orgId],
  );
  const [minted, setMinted] = useState<{ key: Minted; heading: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mintedBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (minted) mintedBox.current?.scrollIntoView({ block: "nearest" });
  }, [minted]);

  const show = (heading: string) => async (key: Minted) => {
    setMinted({ key, heading });
    await reload();
  };

  async function revoke(key: ApiKey) {
    const yes = await confirmDialog(
      `Revoke the key “${key.name}”?`,
      "Revoke key",
      "Every script using it stops working at once. This cannot be undone.",
    );
    if (!yes) return;
    setError(null);
    try {
      await data(
        api.DELETE("/orgs/{orgId}/api-keys/{keyId}", {
          params: { path: { orgId, keyId: key.id } },
        }),
      );
      // A revoked key's secret is of no use: stop showing it.
      setMinted((shown) => (shown?.key.id === key.id ? null : shown));
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  let list: preact.ComponentChildren;
  if (keys.state === "loading") list = <p class="loading">Loading the keys…</p>;
  else if (keys.state === "failed") list = <Failure error={keys.error} />;
  else if (keys.value.data.length === 0) {
    list = (
      <Empty title="No API keys yet.">
        <p>
          {props.canManage
            ? "Mint one above to let a script or an app use your farm through /public/v1."
            : "An owner or admin of this organization can mint one."}
        </p>
      </Empty>
    );
  } else {
    list = (
      <DataTable<ApiKey>
        caption="API keys of this organization"
        rows={keys.value.data}
        columns={[
          { header: "Name", cell: (k) => k.name },
          { header: "Key", cell: (k) => <code>{k.preview}</code> },
          { header: "Scopes", cell: (k) => k.scopes.join(", ") },
          { header: "Created by", cell: (k) => k.created_by?.email ?? "—" },
          { header: "Created", cell: (k) => dateTime(k.created_at) },
          { header: "Last used", cell: (k) => ago(k.last_used_at) },
          { header: "Expires", cell: (k) => (k.expires_at ? dateTime(k.expires_at) : "never") },
          {
            header: "Budget",
            cell: (k) => (k.rate_limit_per_minute ? `${k.rate_limit_per_minute}/min` : "default"),
          },
          {
            header: "Status",
            cell: (k) => {
              const s = keyStatus(k);
              return <span class={s.className}>{s.text}</span>;
            },
          },
          ...(props.canManage
            ? [
                {
                  header: "Actions",
                  cell: (k: ApiKey) =>
                    k.revoked_at ? null : (
                      <div class="row-actions">
                        <button
                          type="button"
                          class="danger"
                          aria-label={`Revoke ${k.name}`}
                          onClick={() => void revoke(k)}
                        >
                          Revoke
                        </button>
                        {/* A key rolled already, or expired, would only be refused (409). */}
                        {k.replaced_by || keyStatus(k).text === "Expired" ? null : (
                          <RollForm orgId={orgId} apiKey={k} rolled={show("Key rolled")} />
                        )}
                      </div>
                    ),
                },
              ]
            : []),
        ]}
      />
    );
  }

  return (
    <>
      <h1>API keys</h1>
      <p class="lead">
        Keys let scripts and apps use this organization through /public/v1: read it, change its data
        or control its printers, as far as their scopes allow.
      </p>
      <div class="minted" ref={mintedBox}>
        {minted ? (
          <>
            <h2>{minted.heading}</h2>
            <OnceSecret
              key={minted.key.key}
              label={`API key “${minted.key.name}”`}
              secret={minted.key.key}
            >
              <p class="hint">
                Send it as <code>Authorization: Bearer …</code> to <code>/public/v1</code>.
              </p>
            </OnceSecret>
          </>
        ) : null}
      </div>
      {props.canManage ? (
        <section class="card">
          <h2>Mint a key</h2>
          <MintForm orgId={orgId} minted={show("New API key")} />
        </section>
      ) : null}
      <section>
        <h2>Keys</h2>
        {error ? <Failure error={error} /> : null}
        {list}
      </section>
    </>
  );
}
