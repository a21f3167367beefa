import { get, post } from "../api.ts";
import type { PageContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import type { Sku } from "../types.ts";
import { field, form, input, number, text } from "../ui/form.ts";
import { label } from "../ui/format.ts";
import { emptyState, failureNotice, flash } from "../ui/notice.ts";
import { table } from "../ui/table.ts";

function stockBadge(s: Sku) {
  const tone = s.status === "in_stock" ? "good" : s.status === "low_stock" ? "warn" : "bad";
  return h("span", { class: `badge ${tone}` }, label(s.status));
}

/** SKUs with their ready stock, low-stock marks, and manual adjustments with a reason. */
export async function inventoryPage(ctx: PageContext): Promise<void> {
  const list = h("div");

  function adjustForm(s: Sku) {
    const adjust = form(
      { label: `Adjust stock of ${s.sku}`, submit: "Apply", className: "inline" },
      [
        field(
          "Change (+/−)",
          input({ name: "delta", type: "number", required: true, inputmode: "numeric" }),
        ),
        field(
          "Reason",
          input({ name: "reason", required: true, placeholder: "e.g. sold at a fair" }),
        ),
      ],
      async (data) => {
        await post(ctx.orgPath(`/skus/${s.id}/stock`), {
          delta: number(data, "delta"),
          reason: text(data, "reason") ?? "",
        });
        await load();
        flash(list, `Stock of ${s.sku} adjusted.`);
      },
    );
    return h("details", null, h("summary", null, "Adjust…"), adjust);
  }

  async function load() {
    try {
      const skus = (await get<Sku[]>(ctx.orgPath("/skus"))).data;
      replace(
        list,
        skus.length === 0
          ? emptyState(
              "No SKUs yet.",
              h(
                "p",
                null,
                ctx.canManage
                  ? "Add your first product above; its print file links finished prints to stock."
                  : "An owner or admin can add products.",
              ),
            )
          : table(
              "Stock by SKU",
              [
                { header: "SKU", cell: (s) => h("code", null, s.sku) },
                { header: "Product", cell: (s) => s.product_name },
                {
                  header: "Colour / material",
                  cell: (s) => [s.color, s.material].filter(Boolean).join(" · ") || "—",
                },
                { header: "Ready stock", cell: (s) => s.ready_stock },
                { header: "Low below", cell: (s) => s.low_stock_threshold ?? "—" },
                { header: "Status", cell: stockBadge },
                { header: "Print file", cell: (s) => s.print_file_name ?? "—" },
                ...(ctx.canManage ? [{ header: "Adjust", cell: adjustForm }] : []),
              ],
              skus,
            ),
      );
    } catch (error) {
      replace(list, failureNotice(error));
    }
  }

  const create = ctx.canManage
    ? form(
        { label: "Add a SKU", submit: "Add SKU" },
        [
          field("SKU", input({ name: "sku", required: true, placeholder: "BENCHY-RED" })),
          field("Product name", input({ name: "product_name", required: true })),
          field("Colour (optional)", input({ name: "color" })),
          field("Material (optional)", input({ name: "material" })),
          field(
            "Print file (optional)",
            input({ name: "print_file_name", placeholder: "benchy.gcode" }),
          ),
          field(
            "Units per print (optional)",
            input({ name: "units_per_print", type: "number", min: 1 }),
          ),
          field(
            "Low-stock threshold (optional)",
            input({ name: "low_stock_threshold", type: "number", min: 0 }),
          ),
        ],
        async (data, el) => {
          await post(ctx.orgPath("/skus"), {
            sku: text(data, "sku") ?? "",
            product_name: text(data, "product_name") ?? "",
            color: text(data, "color"),
            material: text(data, "material"),
            print_file_name: text(data, "print_file_name"),
            units_per_print: number(data, "units_per_print"),
            low_stock_threshold: number(data, "low_stock_threshold"),
          });
          el.reset();
          await load();
        },
      )
    : null;

  replace(
    ctx.main,
    h("h1", null, "Inventory"),
    h("section", null, h("h2", null, "Products"), list),
    create ? h("section", { class: "card" }, h("h2", null, "Add a SKU"), create) : null,
  );
  await load();
}
