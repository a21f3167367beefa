import { useEffect, useRef, useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Job, Printer } from "../../api/types.ts";
import { openEventStream, type StreamEvent } from "../../live/event-stream.ts";

const PRINTER_EVENTS = ["printer.updated", "printer.status_changed", "printer.bed_cleared"];
const JOB_EVENTS = [
  "job.queued",
  "job.started",
  "job.progress",
  "job.completed",
  "job.failed",
  "job.cancelled",
];
/** Only while the stream is down. */
const POLL_MS = 5000;

export interface LiveBoard {
  printers: Printer[] | null;
  /** The jobs printing or paused, by id. */
  jobs: Map<string, Job>;
  error: unknown;
  /** The stream is up (no polling), down (polling), or still connecting (null). */
  live: boolean | null;
  refresh(): void;
}

async function loadPrinters(orgId: string) {
  return (await data(api.GET("/orgs/{orgId}/printers", { params: { path: { orgId } } }))).data;
}

async function loadActiveJobs(orgId: string): Promise<Job[]> {
  const page = (status: "printing" | "paused") =>
    data(
      api.GET("/orgs/{orgId}/jobs", { params: { path: { orgId }, query: { status, limit: 100 } } }),
    );
  const [printing, paused] = await Promise.all([page("printing"), page("paused")]);
  return [...printing.data, ...paused.data];
}

/** Merges a printer event's object (the public printer) into the board's printer of that id. */
function mergePrinter(list: Printer[], event: StreamEvent): Printer[] {
  const id = event.data.id;
  if (typeof id !== "string") return list;
  const { previous_status: _previous, source: _source, ...fields } = event.data;
  return list.map((p) => (p.id === id ? ({ ...p, ...fields } as Printer) : p));
}

/**
 * The board's data: printers and their current jobs, loaded once, then kept current by the
 * organization's event stream; polled only while the stream is down.
 */
export function useLiveBoard(orgId: string): LiveBoard {
  const [printers, setPrinters] = useState<Printer[] | null>(null);
  const [jobs, setJobs] = useState<Map<string, Job>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<boolean | null>(null);
  const alive = useRef(true);
  const known = useRef(new Set<string>());
  known.current = new Set((printers ?? []).map((p) => p.id));

  const reloadJobs = () =>
    loadActiveJobs(orgId).then(
      (list) => alive.current && setJobs(new Map(list.map((j) => [j.id, j]))),
      () => undefined,
    );
  const refresh = () => {
    loadPrinters(orgId).then(
      (list) => {
        if (!alive.current) return;
        setPrinters(list);
        setError(null);
      },
      (e: unknown) => alive.current && setError(e),
    );
    void reloadJobs();
  };

  useEffect(() => {
    alive.current = true;
    refresh();
    const stream = openEventStream(
      orgId,
      [...PRINTER_EVENTS, ...JOB_EVENTS, "agent.connected", "agent.disconnected"],
      (event) => {
        if (event.type.startsWith("agent.")) {
          refresh();
        } else if (PRINTER_EVENTS.includes(event.type)) {
          // A printer the board has not seen yet (its first report): read the list again.
          if (!known.current.has(event.data.id as string)) refresh();
          else setPrinters((list) => (list ? mergePrinter(list, event) : list));
        } else {
          const job = event.data as unknown as Job;
          setJobs((map) => new Map(map).set(job.id, job));
        }
      },
      setLive,
    );
    return () => {
      alive.current = false;
      stream.close();
    };
  }, [orgId]);

  useEffect(() => {
    if (live !== false) return;
    const timer = setInterval(() => {
      if (!document.hidden) refresh();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live, orgId]);

  return { printers, jobs, error, live, refresh };
}
