import { get, patch } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Organization } from "../types.ts";
import { field, form, input, text } from "../ui/form.ts";
import { flash } from "../ui/notice.ts";

/** The organization's name and the browser origins allowed to call /public/v1. */
export async function settingsPage(ctx: PageContext): Promise<void> {
  const org = (await get<Organization>(ctx.orgPath(""))).data;
  const origins = h("textarea", { name: "allowed_origins", rows: 4, readonly: !ctx.canManage });
  origins.value = org.allowed_origins.join("\n");
  const name = input({ name: "name", value: org.name, required: true, readonly: !ctx.canManage });
  const fields = [
    field("Organization name", name),
    field(
      "Allowed origins",
      origins,
      "One per line, e.g. https://shop.example.com: web pages on these origins may call /public/v1 from the browser. Empty: none; * alone: any.",
    ),
  ];
  const body = ctx.canManage
    ? form(
        { label: "Organization settings", submit: "Save settings" },
        fields,
        async (data, el) => {
          const lines = String(data.get("allowed_origins") ?? "")
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean);
          await patch(ctx.orgPath(""), { name: text(data, "name") ?? "", allowed_origins: lines });
          flash(el, "Settings saved.");
          await ctx.reload();
        },
      )
    : h(
        "div",
        { class: "stack" },
        fields,
        h("p", { class: "muted" }, "Only owners and admins change these."),
      );
  replace(ctx.main, h("h1", null, "Settings"), h("section", { class: "card" }, body));
}
