import { useState } from "preact/hooks";
import { ApiFailure } from "../../api/failure.ts";
import { uploadFile } from "./upload.ts";

interface Upload {
  id: number;
  file: File;
  /** 0–1 while sending. */
  progress: number;
  state: "sending" | "done" | "failed";
  error?: string;
}

let nextId = 0;

/**
 * Drop G-code files here (or choose them): each one gets its own progress bar, and a failed one
 * says why and can be tried again without choosing it anew.
 */
export function DropZone(props: { orgId: string; uploaded: () => void }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const change = (id: number, patch: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u)));

  async function send(upload: Upload) {
    change(upload.id, { state: "sending", progress: 0, error: undefined });
    try {
      await uploadFile(props.orgId, upload.file, (progress) => change(upload.id, { progress }));
      change(upload.id, { state: "done", progress: 1 });
      props.uploaded();
    } catch (error) {
      const message = error instanceof ApiFailure ? error.message : "The upload failed.";
      change(upload.id, { state: "failed", error: message });
    }
  }
  function add(files: FileList | null | undefined) {
    const added = [...(files ?? [])].map(
      (file): Upload => ({ id: ++nextId, file, progress: 0, state: "sending" }),
    );
    setUploads((list) => [...added, ...list]);
    for (const upload of added) void send(upload);
  }

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload</h2>
      <fieldset
        class={`drop-zone ${over ? "is-over" : ""}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          add(e.dataTransfer?.files);
        }}
      >
        <legend>Drop G-code files here (.gcode, .gco, .g), or</legend>
        <label class="button" for="file-choice">
          Choose files
        </label>
        <input
          id="file-choice"
          class="visually-hidden"
          type="file"
          multiple
          accept=".gcode,.gco,.g"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            add(input.files);
            input.value = "";
          }}
        />
      </fieldset>
      {uploads.length > 0 ? (
        <ul class="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.id} aria-label={u.file.name}>
              <span class="file-name">{u.file.name}</span>
              <progress
                max={1}
                value={u.progress}
                aria-label={`Upload of ${u.file.name}`}
                aria-valuetext={`${Math.round(u.progress * 100)}%`}
              />
              {u.state === "done" ? <span class="badge good">uploaded</span> : null}
              {u.state === "failed" ? (
                <span role="alert" class="error-text">
                  {u.error}{" "}
                  <button type="button" onClick={() => void send(u)}>
                    Try again
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
