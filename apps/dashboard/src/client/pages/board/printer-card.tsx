import type { Job, Printer } from "../../api/types.ts";
import { BASE } from "../../context.ts";
import { ago, clock, duration, label, percent } from "../../ui/format.ts";
import { PrinterActions } from "../../ui/printer-actions.tsx";
import { printTiming } from "./timing.ts";

const GOOD = new Set(["idle", "printing"]);
const BAD = new Set(["error", "offline"]);

export function StatusBadge({ status }: { status: string }) {
  const tone = BAD.has(status) ? "bad" : GOOD.has(status) ? "good" : "warn";
  return <span class={`badge ${tone}`}>{label(status)}</span>;
}

const HEATERS: Record<string, string> = { tool0: "Nozzle", bed: "Bed", chamber: "Chamber" };

function degrees(t: { actual: number | null; target: number | null }) {
  return `${t.actual ?? "—"} / ${t.target ?? "—"} °C`;
}

/** `Nozzle 214.8 / 215 °C` for each heater the printer reported. */
export function Temperatures({ printer }: { printer: Printer }) {
  const entries = Object.entries(printer.temperatures ?? {});
  if (entries.length === 0) return <span class="muted">no temperatures</span>;
  return (
    <ul class="temps">
      {entries.map(([heater, t]) => (
        <li key={heater}>
          <span class="heater">{HEATERS[heater] ?? heater}</span> {degrees(t)}
        </li>
      ))}
    </ul>
  );
}

/** Why the printer is not working, in words: its error, or since when it has been silent. */
export function Trouble({ printer }: { printer: Printer }) {
  if (printer.last_error) return <p class="error-text">{printer.last_error}</p>;
  if (!printer.online && printer.status === "offline") {
    return (
      <p class="error-text">
        {printer.last_seen_at
          ? `Offline: no report since ${ago(printer.last_seen_at)}.`
          : "Offline: its agent has never reported it."}
      </p>
    );
  }
  return null;
}

export function filament(printer: Printer): string {
  const parts = [printer.current_filament_type, printer.current_color].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "—";
}

export function Thumbnail({ orgId, job }: { orgId: string; job: Job | undefined }) {
  if (!job?.print_file_id) return null;
  return (
    <img
      class="thumb"
      src={`/api/orgs/${orgId}/files/${job.print_file_id}/thumbnail`}
      alt=""
      width={64}
      height={64}
      loading="lazy"
      onError={(e) => {
        (e.currentTarget as HTMLImageElement).hidden = true;
      }}
    />
  );
}

/**
 * One printer on the board. Keyed by the printer's id and redrawn in place when an event
 * changes it, so a focused button or an open dialog stays where it was.
 */
export function PrinterCard(props: { orgId: string; printer: Printer; job?: Job; now: number }) {
  const { printer, job, orgId } = props;
  const timing = printTiming(job, printer.progress_percentage, props.now);
  const needsClearing = printer.available_actions.includes("clear_bed");
  const commands = printer.available_actions.filter((a) => a !== "clear_bed");
  return (
    <article class={`printer ${printer.online ? "" : "is-offline"}`} aria-label={printer.name}>
      <header>
        <h3>
          <a href={`${BASE}/printers/${encodeURIComponent(printer.id)}`}>{printer.name}</a>
        </h3>
        <StatusBadge status={printer.status} />
      </header>
      <div class="now-printing">
        <Thumbnail orgId={orgId} job={job} />
        <p class="file-name">
          {job?.file_name ?? (printer.current_job_id ? "a print" : "No print")}
        </p>
      </div>
      <div class="progress">
        <progress
          max={100}
          value={printer.progress_percentage ?? 0}
          aria-label={`Progress of ${printer.name}`}
          aria-valuetext={percent(printer.progress_percentage)}
        />
        <span class="progress-text" data-testid="progress">
          {percent(printer.progress_percentage)}
        </span>
      </div>
      <dl>
        <dt>Printed</dt>
        <dd>{duration(timing.printedSeconds)}</dd>
        <dt>Left</dt>
        <dd data-testid="time-left">
          {timing.eta ? `${duration(timing.leftSeconds)}, ends ${clock(timing.eta)}` : "—"}
        </dd>
        <dt>Temperatures</dt>
        <dd>
          <Temperatures printer={printer} />
        </dd>
        <dt>Filament</dt>
        <dd>{filament(printer)}</dd>
        <dt>Bed</dt>
        <dd data-testid="bed">
          {needsClearing
            ? "Needs clearing "
            : printer.status === "printing" || printer.status === "paused"
              ? "In use"
              : "Clear"}
          {needsClearing ? (
            <PrinterActions orgId={orgId} printer={printer} only={["clear_bed"]} />
          ) : null}
        </dd>
        <dt>Location</dt>
        <dd>{printer.location ?? "—"}</dd>
        <dt>Commands</dt>
        <dd data-testid="commands" class="row-actions">
          {commands.length === 0 ? (
            "none now"
          ) : (
            <PrinterActions orgId={orgId} printer={printer} only={commands} />
          )}
        </dd>
      </dl>
      <Trouble printer={printer} />
    </article>
  );
}
