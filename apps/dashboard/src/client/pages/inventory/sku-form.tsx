import { api, data } from "../../api/client.ts";
import { ApiForm, Field, number, text } from "../../ui/api-form.tsx";

/** Adds a SKU; its print file links finished prints to stock. */
export function SkuForm(props: { orgId: string; added: () => Promise<void> }) {
  return (
    <ApiForm
      label="Add a SKU"
      submit="Add SKU"
      onSubmit={async (form, el) => {
        await data(
          api.POST("/orgs/{orgId}/skus", {
            params: { path: { orgId: props.orgId } },
            body: {
              sku: text(form, "sku") ?? "",
              product_name: text(form, "product_name") ?? "",
              color: text(form, "color"),
              material: text(form, "material"),
              print_file_name: text(form, "print_file_name"),
              units_per_print: number(form, "units_per_print"),
              low_stock_threshold: number(form, "low_stock_threshold"),
            },
          }),
        );
        el.reset();
        await props.added();
      }}
    >
      <Field label="SKU" name="sku" required placeholder="BENCHY-RED" />
      <Field label="Product name" name="product_name" required />
      <Field label="Colour (optional)" name="color" />
      <Field label="Material (optional)" name="material" />
      <Field label="Print file (optional)" name="print_file_name" placeholder="benchy.gcode" />
      <Field label="Units per print (optional)" name="units_per_print" type="number" min={1} />
      <Field
        label="Low-stock threshold (optional)"
        name="low_stock_threshold"
        type="number"
        min={0}
      />
    </ApiForm>
  );
}
