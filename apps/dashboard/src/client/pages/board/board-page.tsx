import { useEffect, useState } from "preact/hooks";
import { BASE } from "../../context.ts";
import type { OrgPageProps } from "../../pages.ts";
import { Failure } from "../../ui/failure.tsx";
import { label } from "../../ui/format.ts";
import { PrinterCard } from "./printer-card.tsx";
import { PrinterTable } from "./printer-table.tsx";
import { useLiveBoard } from "./use-live-board.ts";

const STATUSES = [
  "idle",
  "printing",
  "paused",
  "pausing",
  "cancelling",
  "error",
  "offline",
  "maintenance",
];
const VIEW_KEY = "apf.board.view";

/** Re-renders every `ms` so that times printed and left move on between events. */
function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function Choice(props: {
  id: string;
  label: string;
  value: string;
  options: string[];
  any: string;
  set(v: string): void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.set((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

const distinct = (values: (string | null)[]) =>
  [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b));

/** The live board: every printer, kept current by the event stream, as cards or a table. */
export function BoardPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const board = useLiveBoard(orgId);
  const now = useNow(10_000);
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const [model, setModel] = useState("");
  const [location, setLocation] = useState("");
  const [view, setView] = useState(() => localStorage.getItem(VIEW_KEY) ?? "cards");
  const chooseView = (v: string) => {
    localStorage.setItem(VIEW_KEY, v);
    setView(v);
  };

  const printers = board.printers ?? [];
  const needle = q.trim().toLowerCase();
  const shown = printers.filter(
    (p) =>
      (!status || p.status === status) &&
      (!model || p.model === model) &&
      (!location || p.location === location) &&
      (!needle || `${p.name} ${p.location ?? ""} ${p.model ?? ""}`.toLowerCase().includes(needle)),
  );

  let body: preact.ComponentChildren;
  if (board.printers === null) {
    body = board.error ? <Failure error={board.error} /> : <p class="loading">Loading printers…</p>;
  } else if (printers.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>No printers yet: install the agent.</strong>
        </p>
        <p>
          Create an agent under <a href={`${BASE}/agents`}>Agents</a>, save its agent.json on a
          computer next to the printers and run <code>apf-agent run --config agent.json</code>.
          Printers appear here with their first report.
        </p>
      </div>
    );
  } else if (shown.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>No printer matches the filter.</strong>
        </p>
        <p>Clear the filter to see them all.</p>
      </div>
    );
  } else if (view === "table") {
    body = <PrinterTable orgId={orgId} printers={shown} jobs={board.jobs} now={now} />;
  } else {
    body = (
      <div class="board">
        {shown.map((p) => (
          <PrinterCard
            key={p.id}
            orgId={orgId}
            printer={p}
            job={p.current_job_id ? board.jobs.get(p.current_job_id) : undefined}
            now={now}
          />
        ))}
      </div>
    );
  }

  return (
    <>
      <h1>Printers</h1>
      <form class="filters" aria-label="Filter printers" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="board-q">Search</label>
          <input
            id="board-q"
            type="search"
            name="q"
            placeholder="name or location"
            value={q}
            onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <Choice
          id="board-status"
          label="Status"
          value={status}
          options={STATUSES}
          any="any status"
          set={setStatus}
        />
        <Choice
          id="board-model"
          label="Model"
          value={model}
          options={distinct(printers.map((p) => p.model))}
          any="any model"
          set={setModel}
        />
        <Choice
          id="board-location"
          label="Location"
          value={location}
          options={distinct(printers.map((p) => p.location))}
          any="anywhere"
          set={setLocation}
        />
        <Choice
          id="board-view"
          label="View"
          value={view}
          options={["cards", "table"]}
          any="cards"
          set={(v) => chooseView(v || "cards")}
        />
      </form>
      <p class="muted" role="status" aria-live="off" data-testid="live">
        {board.live === true
          ? "Live: changes appear as they happen."
          : board.live === false
            ? "The live connection is down; refreshing every 5 s until it is back."
            : "Connecting…"}
      </p>
      {board.printers !== null && board.error ? <Failure error={board.error} /> : null}
      {body}
    </>
  );
}
