import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Answer } from "../../api/types.ts";
import type { OrgPageProps } from "../../pages.ts";
import { confirmDialog } from "../../ui/confirm.ts";
import { Failure } from "../../ui/failure.tsx";
import { duration } from "../../ui/format.ts";
import { useLoad } from "../../ui/use-load.ts";
import { DropZone } from "./drop-zone.tsx";

type PrintFile = Answer<"/orgs/{orgId}/files">["data"][number];

const unit = (value: number | null, suffix: string, digits = 0) =>
  value === null ? null : `${value.toFixed(digits)} ${suffix}`;

/** What the slicer said, in words; nothing for what it did not say. */
function facts(f: PrintFile): [string, string][] {
  const rows: [string, string | null][] = [
    ["Print time", f.print_time_seconds === null ? null : duration(f.print_time_seconds)],
    [
      "Filament",
      [unit(f.filament_weight_grams, "g", 1), unit(f.filament_length_meters, "m", 2)]
        .filter(Boolean)
        .join(", ") || null,
    ],
    ["Material", f.filament_type],
    ["Printer model", f.printer_model_id],
    ["Nozzle", unit(f.nozzle_diameter, "mm", 2)],
    ["Layers", f.layer_count === null ? null : String(f.layer_count)],
    ["Slicer", f.slicer],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null);
}

function FileCard(props: {
  orgId: string;
  file: PrintFile;
  canManage: boolean;
  changed: () => void;
}) {
  const { file, orgId } = props;
  const [copies, setCopies] = useState(1);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = { orgId };

  async function queue() {
    setError(null);
    setSaid(null);
    try {
      for (let i = 0; i < copies; i++) {
        await data(
          api.POST("/orgs/{orgId}/jobs", { params: { path }, body: { print_file_id: file.id } }),
        );
      }
      setSaid(`${copies} ${copies === 1 ? "copy" : "copies"} queued.`);
    } catch (e) {
      setError(e);
    }
  }
  async function remove() {
    if (!(await confirmDialog(`Delete ${file.name}?`, "Delete file"))) return;
    try {
      await data(
        api.DELETE("/orgs/{orgId}/files/{fileId}", {
          params: { path: { orgId, fileId: file.id } },
        }),
      );
      props.changed();
    } catch (e) {
      setError(e);
    }
  }
  const copiesId = `copies-${file.id}`;
  return (
    <article class="card file" aria-label={file.name}>
      <header>
        {file.has_thumbnail ? (
          <img
            class="thumb"
            src={`/api/orgs/${orgId}/files/${file.id}/thumbnail`}
            alt=""
            width={64}
            height={64}
            loading="lazy"
          />
        ) : null}
        <h3 class="file-name">{file.name}</h3>
      </header>
      <dl>
        {facts(file).map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </Fragment>
        ))}
      </dl>
      <div class="row-actions">
        <label for={copiesId}>Copies</label>
        <input
          id={copiesId}
          type="number"
          min={1}
          max={100}
          value={copies}
          class="narrow-number"
          onInput={(e) =>
            setCopies(
              Math.max(1, Math.min(100, Number((e.currentTarget as HTMLInputElement).value) || 1)),
            )
          }
        />
        <button type="button" class="primary" onClick={() => void queue()}>
          Queue {copies} {copies === 1 ? "copy" : "copies"}
        </button>
        {props.canManage ? (
          <button
            type="button"
            class="danger"
            aria-label={`Delete ${file.name}`}
            onClick={() => void remove()}
          >
            Delete
          </button>
        ) : null}
      </div>
      {said ? (
        <p class="flash" role="status">
          {said}
        </p>
      ) : null}
      {error ? <Failure error={error} /> : null}
    </article>
  );
}

/** Upload G-code by dropping it, see what the slicer says of each file, queue copies. */
export function FilesPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [files, reload] = useLoad(
    () =>
      data(api.GET("/orgs/{orgId}/files", { params: { path: { orgId }, query: { limit: 100 } } })),
    [orgId],
  );
  let library: preact.ComponentChildren;
  if (files.state === "loading") library = <p class="loading">Loading the library…</p>;
  else if (files.state === "failed") library = <Failure error={files.error} />;
  else if (files.value.data.length === 0) {
    library = (
      <div class="empty">
        <p>
          <strong>No files yet.</strong>
        </p>
        <p>Drop a sliced G-code file above; its print time and filament appear here.</p>
      </div>
    );
  } else {
    library = (
      <div class="board">
        {files.value.data.map((f) => (
          <FileCard
            key={f.id}
            orgId={orgId}
            file={f}
            canManage={props.canManage}
            changed={() => void reload()}
          />
        ))}
      </div>
    );
  }
  return (
    <>
      <h1>Files</h1>
      <DropZone orgId={orgId} uploaded={() => void reload()} />
      <section aria-labelledby="library-heading">
        <h2 id="library-heading">Library</h2>
        {library}
      </section>
    </>
  );
}
