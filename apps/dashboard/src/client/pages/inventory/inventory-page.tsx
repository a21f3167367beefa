import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { OrgPageProps } from "../../pages.ts";
import { DataTable } from "../../ui/data-table.tsx";
import { Empty } from "../../ui/empty.tsx";
import { Failure } from "../../ui/failure.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { AdjustStock } from "./adjust-stock.tsx";
import { type Sku, StockBadge } from "./sku.tsx";
import { SkuForm } from "./sku-form.tsx";

/** SKUs with their ready stock, low-stock marks, and manual adjustments with a reason. */
export function InventoryPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [skus, reload] = useLoad(
    () => data(api.GET("/orgs/{orgId}/skus", { params: { path: { orgId } } })),
    [orgId],
  );
  const [flash, setFlash] = useState<string | null>(null);
  let list: preact.ComponentChildren;
  if (skus.state === "loading") list = <p class="loading">Loading the SKUs…</p>;
  else if (skus.state === "failed") list = <Failure error={skus.error} />;
  else if (skus.value.data.length === 0) {
    list = (
      <Empty title="No SKUs yet.">
        <p>
          {props.canManage
            ? "Add your first product above; its print file links finished prints to stock."
            : "An owner or admin can add products."}
        </p>
      </Empty>
    );
  } else {
    list = (
      <DataTable<Sku>
        caption="Stock by SKU"
        rows={skus.value.data}
        columns={[
          { header: "SKU", cell: (s) => <code>{s.sku}</code> },
          { header: "Product", cell: (s) => s.product_name },
          {
            header: "Colour / material",
            cell: (s) => [s.color, s.material].filter(Boolean).join(" · ") || "—",
          },
          { header: "Ready stock", cell: (s) => s.ready_stock },
          { header: "Low below", cell: (s) => s.low_stock_threshold ?? "—" },
          { header: "Status", cell: (s) => <StockBadge sku={s} /> },
          { header: "Print file", cell: (s) => s.print_file_name ?? "—" },
          ...(props.canManage
            ? [
                {
                  header: "Adjust",
                  cell: (s: Sku) => (
                    <AdjustStock
                      orgId={orgId}
                      sku={s}
                      adjusted={async () => {
                        await reload();
                        setFlash(`Stock of ${s.sku} adjusted.`);
                      }}
                    />
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
      <h1>Inventory</h1>
      <section>
        <h2>Products</h2>
        {flash ? (
          <p class="flash" role="status">
            {flash}
          </p>
        ) : null}
        {list}
      </section>
      {props.canManage ? (
        <section class="card">
          <h2>Add a SKU</h2>
          <SkuForm orgId={orgId} added={reload} />
        </section>
      ) : null}
    </>
  );
}
