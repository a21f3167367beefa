import type { Job, Printer } from "../../api/types.ts";

export interface RowActions {
  move(job: Job, to: number | "top" | "bottom", focus: string): void;
  edit(job: Job, change: { priority?: number; printer_id?: string | null }): void;
  start(job: Job): void;
  cancel(job: Job): void;
  drop(job: Job, draggedId: string): void;
}

/**
 * One queued job: its place, file, priority and printer, why it waits, and its buttons. Move
 * up / down are the keyboard's way to reorder (dragging the row is the mouse's).
 */
export function QueueRow(props: {
  job: Job;
  last: boolean;
  printers: Printer[];
  busy: boolean;
  actions: RowActions;
}) {
  const { job, actions } = props;
  const name = job.file_name ?? "a print";
  const place = job.position ?? 0;
  return (
    <li
      class="queue-row"
      draggable
      aria-label={`${place}. ${name}`}
      onDragStart={(e) => e.dataTransfer?.setData("text/plain", job.id)}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const dragged = e.dataTransfer?.getData("text/plain");
        if (dragged && dragged !== job.id) actions.drop(job, dragged);
      }}
    >
      <span class="place" aria-hidden="true">
        {place}
      </span>
      <div class="what">
        <strong class="file-name">{name}</strong>
        <span class="muted">
          {job.waiting_reason ? `Waiting: ${job.waiting_reason}` : "Next when a printer fits"}
          {job.last_error ? ` · last try: ${job.last_error}` : ""}
        </span>
      </div>
      <label class="small">
        Priority
        <input
          type="number"
          min={0}
          max={255}
          value={job.priority}
          aria-label={`Priority of ${name}`}
          onChange={(e) =>
            actions.edit(job, { priority: Number((e.currentTarget as HTMLInputElement).value) })
          }
        />
      </label>
      <label class="small">
        Printer
        <select
          value={job.printer_id ?? ""}
          aria-label={`Printer for ${name}`}
          onChange={(e) =>
            actions.edit(job, { printer_id: (e.currentTarget as HTMLSelectElement).value || null })
          }
        >
          <option value="">any fitting printer</option>
          {props.printers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <div class="row-actions">
        <button
          type="button"
          id={`up-${job.id}`}
          disabled={place <= 1}
          aria-disabled={props.busy ? "true" : undefined}
          aria-label={`Move ${name} up`}
          onClick={() => actions.move(job, place - 1, `up-${job.id}`)}
        >
          ↑
        </button>
        <button
          type="button"
          id={`down-${job.id}`}
          disabled={props.last}
          aria-disabled={props.busy ? "true" : undefined}
          aria-label={`Move ${name} down`}
          onClick={() => actions.move(job, place + 1, `down-${job.id}`)}
        >
          ↓
        </button>
        <button
          type="button"
          disabled={props.busy || !job.printer_id}
          title={job.printer_id ? undefined : "Choose a printer to start it now"}
          onClick={() => actions.start(job)}
        >
          Start now
        </button>
        <button
          type="button"
          class="danger"
          disabled={props.busy}
          onClick={() => actions.cancel(job)}
        >
          Cancel
        </button>
      </div>
    </li>
  );
}
