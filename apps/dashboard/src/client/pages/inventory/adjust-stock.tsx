import { api, data } from "../../api/client.ts";
import { ApiForm, Field, number, text } from "../../ui/api-form.tsx";
import type { Sku } from "./sku.tsx";

/** A manual change of a SKU's ready stock, with the reason the audit log keeps. */
export function AdjustStock(props: { orgId: string; sku: Sku; adjusted: () => Promise<void> }) {
  const { sku } = props;
  return (
    <details>
      <summary>Adjust…</summary>
      <ApiForm
        label={`Adjust stock of ${sku.sku}`}
        submit="Apply"
        class="inline"
        onSubmit={async (form) => {
          await data(
            api.POST("/orgs/{orgId}/skus/{skuId}/stock", {
              params: { path: { orgId: props.orgId, skuId: sku.id } },
              body: { delta: number(form, "delta") as number, reason: text(form, "reason") ?? "" },
            }),
          );
          await props.adjusted();
        }}
      >
        <Field label="Change (+/−)" name="delta" type="number" required inputMode="numeric" />
        <Field label="Reason" name="reason" required placeholder="e.g. sold at a fair" />
      </ApiForm>
    </details>
  );
}
