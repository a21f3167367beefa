import { SCOPE_REGISTRY, SCOPES } from "@apf/auth/scopes";
import { del, get, post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { ApiKey, MintedKey } from "../types.ts";
import { withCodeSpans } from "../ui/code-spans.ts";
import { confirmDialog } from "../ui/confirm.ts";
import { checkboxes, field, form, input, number, select, text } from "../ui/form.ts";
import { ago, dateTime } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { onceSecret } from "../ui/secret.ts";
import { table } from "../ui/table.ts";

/** Active, expired, revoked, or revoked because it leaked (reported by a secret scanner). */
function keyStatus(key: ApiKey): { text: string; className: string } {
  if (key.revoked_at && key.revoked_reason === "leaked") {
    return { text: "Leaked — revoked", className: "badge bad" };
  }
  if (key.revoked_at) return { text: "Revoked", className: "badge muted" };
  if (key.expires_at && new Date(key.expires_at).getTime() <= Date.now()) {
    return { text: "Expired", className: "badge muted" };
  }
  return { text: "Active", className: "badge good" };
}

/** End of the chosen day, local time, as the API's ISO-8601. */
function endOfDay(date: string | undefined): string | undefined {
  return date ? new Date(`${date}T23:59:59`).toISOString() : undefined;
}

export async function keysPage(ctx: PageContext): Promise<void> {
  const minted = h("div", { class: "minted" });
  const list = h("div");

  async function load() {
    try {
      const keys = (await get<ApiKey[]>(ctx.orgPath("/api-keys"))).data;
      replace(list, keys.length === 0 ? noKeys() : keyTable(keys));
    } catch (error) {
      replace(list, failureNotice(error));
    }
  }

  function noKeys() {
    return emptyState(
      "No API keys yet.",
      h(
        "p",
        null,
        ctx.canManage
          ? "Mint one above to let a script or an app use your farm through /public/v1."
          : "An owner or admin of this organization can mint one.",
      ),
    );
  }

  function showMinted(key: MintedKey, heading: string) {
    replace(
      minted,
      h("h2", null, heading),
      onceSecret(
        `API key “${key.name}”`,
        key.key,
        h(
          "p",
          { class: "hint" },
          "Send it as ",
          h("code", null, "Authorization: Bearer …"),
          " to ",
          h("code", null, "/public/v1"),
          ".",
        ),
      ),
    );
    minted.scrollIntoView({ block: "nearest" });
  }

  async function revoke(key: ApiKey) {
    const yes = await confirmDialog(
      `Revoke the key “${key.name}”?`,
      "Revoke key",
      "Every script using it stops working at once. This cannot be undone.",
    );
    if (!yes) return;
    try {
      await del(ctx.orgPath(`/api-keys/${key.id}`));
      await load();
    } catch (error) {
      list.prepend(failureNotice(error));
    }
  }

  function rollForm(key: ApiKey) {
    const grace = select(
      "grace_hours",
      [
        ["0", "Stop the old key now"],
        ["1", "1 hour"],
        ["24", "24 hours"],
        ["72", "72 hours"],
      ],
      "24",
    );
    const rolled = form(
      { label: `Roll ${key.name}`, submit: "Roll", className: "inline" },
      [field("Old key keeps working for", grace)],
      async (data) => {
        const result = await post<MintedKey>(ctx.orgPath(`/api-keys/${key.id}/roll`), {
          grace_hours: Number(data.get("grace_hours")),
        });
        showMinted(result.data, "Key rolled");
        await load();
      },
    );
    return h("details", { class: "roll" }, h("summary", null, "Roll…"), rolled);
  }

  function keyTable(keys: ApiKey[]) {
    return table(
      "API keys of this organization",
      [
        { header: "Name", cell: (k) => k.name },
        { header: "Key", cell: (k) => h("code", null, k.preview) },
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
            return h("span", { class: s.className }, s.text);
          },
        },
        ...(ctx.canManage
          ? [
              {
                header: "Actions",
                cell: (k: ApiKey) =>
                  k.revoked_at
                    ? null
                    : h(
                        "div",
                        { class: "row-actions" },
                        h(
                          "button",
                          {
                            type: "button",
                            class: "danger",
                            "aria-label": `Revoke ${k.name}`,
                            onclick: () => void revoke(k),
                          },
                          "Revoke",
                        ),
                        rollForm(k),
                      ),
              },
            ]
          : []),
      ],
      keys,
    );
  }

  const create = ctx.canManage
    ? form(
        { label: "Mint an API key", submit: "Mint key" },
        [
          field(
            "Name",
            input({ name: "name", required: true, placeholder: "e.g. shop integration" }),
          ),
          checkboxes(
            "scopes",
            "Scopes (what the key may do)",
            SCOPES.map((s) => ({
              value: s,
              label: s,
              hint: withCodeSpans(SCOPE_REGISTRY[s].description),
            })),
          ),
          field(
            "Expires on (optional)",
            input({ name: "expires_at", type: "date" }),
            "Leave empty for a key that does not expire.",
          ),
          field(
            "Budget, requests per minute (optional)",
            input({ name: "rate_limit_per_minute", type: "number", min: 1, inputmode: "numeric" }),
            "Leave empty for the server's default.",
          ),
        ],
        async (data, el) => {
          const scopes = data.getAll("scopes").map(String);
          const result = await post<MintedKey>(ctx.orgPath("/api-keys"), {
            name: text(data, "name") ?? "",
            scopes,
            expires_at: endOfDay(text(data, "expires_at")),
            rate_limit_per_minute: number(data, "rate_limit_per_minute"),
          });
          el.reset();
          showMinted(result.data, "New API key");
          await load();
        },
      )
    : null;

  replace(
    ctx.main,
    h("h1", null, "API keys"),
    h(
      "p",
      { class: "lead" },
      "Keys let scripts and apps use this organization through /public/v1: read it, change its data or control its printers, as far as their scopes allow.",
    ),
    minted,
    create ? h("section", { class: "card" }, h("h2", null, "Mint a key"), create) : null,
    h("section", null, h("h2", null, "Keys"), list),
  );
  await load();
}
