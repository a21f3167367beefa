import { api, data } from "../api/client.ts";
import type { Body } from "../api/types.ts";
import type { OrgPageProps } from "../pages.ts";
import { ApiForm, Field, text } from "../ui/api-form.tsx";
import { DataTable } from "../ui/data-table.tsx";
import { Failure } from "../ui/failure.tsx";
import { label } from "../ui/format.ts";
import { useLoad } from "../ui/use-load.ts";

type NewSpool = Body<"/orgs/{orgId}/filament", "post">;
const STATUSES: NonNullable<NewSpool["status"]>[] = [
  "available",
  "in_use",
  "low",
  "empty",
  "archived",
];

/** A number typed into a field; undefined when empty (a non-number goes as is, for the API to name). */
function grams(form: FormData, name: string): number | undefined {
  const value = text(form, name);
  return value === undefined ? undefined : Number(value);
}

/** Filament spools: what is left of each, and new spools. */
export function FilamentPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [spools, reload] = useLoad(
    () => data(api.GET("/orgs/{orgId}/filament", { params: { path: { orgId } } })),
    [orgId],
  );
  let body: preact.ComponentChildren;
  if (spools.state === "loading") body = <p class="loading">Loading spools…</p>;
  else if (spools.state === "failed") body = <Failure error={spools.error} />;
  else if (spools.value.data.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>No spools yet.</strong>
        </p>
        <p>
          {props.canManage
            ? "Add the spools on your shelves below."
            : "An owner or admin can add spools."}
        </p>
      </div>
    );
  } else {
    body = (
      <DataTable
        caption="Filament spools"
        rows={spools.value.data}
        columns={[
          { header: "Type", cell: (s) => s.type },
          {
            header: "Colour",
            cell: (s) => (
              <>
                {s.hex_code && /^#[0-9a-f]{6}$/i.test(s.hex_code) ? (
                  <span class="swatch" aria-hidden="true" style={{ backgroundColor: s.hex_code }} />
                ) : null}
                {s.color ?? "—"}
              </>
            ),
          },
          { header: "Brand", cell: (s) => s.brand ?? "—" },
          {
            header: "Remaining",
            cell: (s) =>
              `${s.remaining_grams} g${s.spool_weight_grams ? ` of ${s.spool_weight_grams} g` : ""}`,
          },
          {
            header: "Status",
            cell: (s) => (
              <span class={`badge ${s.status === "low" || s.status === "empty" ? "warn" : "good"}`}>
                {label(s.status)}
              </span>
            ),
          },
          { header: "Location", cell: (s) => s.location ?? "—" },
        ]}
      />
    );
  }
  return (
    <>
      <h1>Filament</h1>
      <section>
        <h2>Spools</h2>
        {body}
      </section>
      {props.canManage ? (
        <section class="card">
          <h2>Add a spool</h2>
          <ApiForm
            label="Add a spool"
            submit="Add spool"
            onSubmit={async (form, el) => {
              await data(
                api.POST("/orgs/{orgId}/filament", {
                  params: { path: { orgId } },
                  body: {
                    type: text(form, "type") ?? "",
                    color: text(form, "color"),
                    brand: text(form, "brand"),
                    remaining_grams: grams(form, "remaining_grams") as number,
                    spool_weight_grams: grams(form, "spool_weight_grams"),
                    status: text(form, "status") as NewSpool["status"],
                    location: text(form, "location"),
                  },
                }),
              );
              el.reset();
              await reload();
            }}
          >
            <Field label="Type" name="type" required placeholder="PLA" />
            <Field label="Colour (optional)" name="color" />
            <Field label="Brand (optional)" name="brand" />
            <Field label="Remaining grams" name="remaining_grams" type="number" min={0} required />
            <Field
              label="Spool weight grams (optional)"
              name="spool_weight_grams"
              type="number"
              min={0}
            />
            <Field label="Status" name="status" control="select" defaultValue="available">
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </Field>
            <Field label="Location (optional)" name="location" />
          </ApiForm>
        </section>
      ) : null}
    </>
  );
}
