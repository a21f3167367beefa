import { SPOOL_STATUSES } from "@apf/domain";
import { get, post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Spool } from "../types.ts";
import { field, form, input, number, select, text } from "../ui/form.ts";
import { label } from "../ui/format.ts";
import { emptyState, failureNotice } from "../ui/notice.ts";
import { table } from "../ui/table.ts";

/** Filament spools: what is left of each, and new spools. */
export async function filamentPage(ctx: PageContext): Promise<void> {
  const list = h("div");
  async function load() {
    try {
      const spools = (await get<Spool[]>(ctx.orgPath("/filament"))).data;
      replace(
        list,
        spools.length === 0
          ? emptyState(
              "No spools yet.",
              h(
                "p",
                null,
                ctx.canManage
                  ? "Add the spools on your shelves below."
                  : "An owner or admin can add spools.",
              ),
            )
          : table(
              "Filament spools",
              [
                { header: "Type", cell: (s) => s.type },
                {
                  header: "Colour",
                  cell: (s) => [
                    s.hex_code && /^#[0-9a-f]{6}$/i.test(s.hex_code)
                      ? h("span", {
                          class: "swatch",
                          "data-hex": s.hex_code,
                          "aria-hidden": "true",
                        })
                      : null,
                    s.color ?? "—",
                  ],
                },
                { header: "Brand", cell: (s) => s.brand ?? "—" },
                {
                  header: "Remaining",
                  cell: (s) =>
                    `${s.remaining_grams} g${s.spool_weight_grams ? ` of ${s.spool_weight_grams} g` : ""}`,
                },
                {
                  header: "Status",
                  cell: (s) =>
                    h(
                      "span",
                      {
                        class: `badge ${s.status === "low" || s.status === "empty" ? "warn" : "good"}`,
                      },
                      label(s.status),
                    ),
                },
                { header: "Location", cell: (s) => s.location ?? "—" },
              ],
              spools,
            ),
      );
      for (const swatch of list.querySelectorAll<HTMLElement>(".swatch")) {
        swatch.style.backgroundColor = swatch.dataset.hex ?? "";
      }
    } catch (error) {
      replace(list, failureNotice(error));
    }
  }
  const create = ctx.canManage
    ? form(
        { label: "Add a spool", submit: "Add spool" },
        [
          field("Type", input({ name: "type", required: true, placeholder: "PLA" })),
          field("Colour (optional)", input({ name: "color" })),
          field("Brand (optional)", input({ name: "brand" })),
          field(
            "Remaining grams",
            input({ name: "remaining_grams", type: "number", min: 0, required: true }),
          ),
          field(
            "Spool weight grams (optional)",
            input({ name: "spool_weight_grams", type: "number", min: 0 }),
          ),
          field(
            "Status",
            select(
              "status",
              SPOOL_STATUSES.map((s) => [s, label(s)]),
              "available",
            ),
          ),
          field("Location (optional)", input({ name: "location" })),
        ],
        async (data, el) => {
          await post(ctx.orgPath("/filament"), {
            type: text(data, "type") ?? "",
            color: text(data, "color"),
            brand: text(data, "brand"),
            remaining_grams: number(data, "remaining_grams"),
            spool_weight_grams: number(data, "spool_weight_grams"),
            status: text(data, "status"),
            location: text(data, "location"),
          });
          el.reset();
          await load();
        },
      )
    : null;
  replace(
    ctx.main,
    h("h1", null, "Filament"),
    h("section", null, h("h2", null, "Spools"), list),
    create ? h("section", { class: "card" }, h("h2", null, "Add a spool"), create) : null,
  );
  await load();
}
