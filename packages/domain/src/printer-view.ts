import { availableActions } from "./control-rules.ts";
import { shownPercent } from "./shown-percent.ts";
import type { ControlAction, PrinterStatus, PrinterViewStatus } from "./vocabulary.ts";

/** A heater's reading, degrees Celsius. */
export interface Temperature {
  actual: number | null;
  target: number | null;
}

/** How old a printer's last report may be before it reads offline. */
export interface PrinterFreshness {
  now: Date;
  staleAfterS: number;
}

/** What the view reads of a stored printer (the columns of packages/db's printer select). */
export interface PrinterFacts {
  /** As the agent last observed it. */
  status: PrinterStatus;
  inMaintenance: boolean;
  isActive: boolean;
  /** The agent reached the printer's host on its last report. */
  reachable: boolean;
  lastSeenAt: Date | null;
  progressPercentage: number | null;
  printTimeLeftS: number | null;
  /**
   * The job that holds the printer (set by ingest while a job is open on it, cleared when it
   * ends; whoever else opens a job on a printer sets it in the same transaction). Read from the
   * printer's own row, so every change to the view is a change to the row and the list caches,
   * which watch the row, never serve an old one.
   */
  currentJobId: string | null;
  temperatures: Record<string, Partial<Temperature> | null | undefined> | null;
}

/** What every surface shows of a printer's state, read once from its facts and the clock. */
export interface PrinterReading {
  /** The observed status; `offline` once stale; `maintenance` over either while in maintenance. */
  status: PrinterViewStatus;
  /** The agent reported within the stale window. */
  fresh: boolean;
  /** Fresh, the host answered, and the printer is not offline. */
  online: boolean;
  /** 0–100, two decimals (shownPercent); null unless fresh. */
  progressPercentage: number | null;
  /** Seconds the current print still needs; null unless fresh with a current job. */
  printTimeLeftS: number | null;
  /** The heaters as reported; empty unless online (a silent printer's readings are not current). */
  temperatures: Record<string, Temperature>;
  /** A job holds the printer (its current job is set). */
  hasOpenJob: boolean;
  /** The control actions the printer allows now (control-rules.ts). */
  availableActions: ControlAction[];
  /** While fresh: the last instant it stays fresh (ms since the epoch); else null. */
  freshUntil: number | null;
}

/** A printer row read through the view: the row's own fields, with the reading over them. */
export type PrinterView<Row extends PrinterFacts = PrinterFacts> = Omit<Row, keyof PrinterReading> &
  PrinterReading;

function heaters(t: PrinterFacts["temperatures"]): Record<string, Temperature> {
  const out: Record<string, Temperature> = {};
  for (const [name, v] of Object.entries(t ?? {})) {
    out[name] = { actual: v?.actual ?? null, target: v?.target ?? null };
  }
  return out;
}

/**
 * The one reading of a printer, for every surface (public API, dashboard API, list caches, and
 * the events to come): pure, from the stored facts and the clock.
 */
export function readPrinter(facts: PrinterFacts, freshness: PrinterFreshness): PrinterReading {
  const seen = facts.lastSeenAt?.getTime();
  const freshUntil = seen === undefined ? null : seen + freshness.staleAfterS * 1000;
  const fresh = freshUntil !== null && freshness.now.getTime() <= freshUntil;
  const observed: PrinterStatus = fresh ? facts.status : "offline";
  const status: PrinterViewStatus = facts.inMaintenance ? "maintenance" : observed;
  const online = fresh && facts.reachable && facts.status !== "offline";
  const hasOpenJob = facts.currentJobId !== null;
  return {
    status,
    fresh,
    online,
    progressPercentage: fresh ? shownPercent(facts.progressPercentage) : null,
    printTimeLeftS: fresh && facts.currentJobId !== null ? facts.printTimeLeftS : null,
    temperatures: online ? heaters(facts.temperatures) : {},
    hasOpenJob,
    availableActions: availableActions({ status, isActive: facts.isActive, hasOpenJob }),
    freshUntil: fresh ? freshUntil : null,
  };
}

/** A stored printer row as every surface shows it: its fields, read through readPrinter. */
export function printerView<Row extends PrinterFacts>(
  row: Row,
  freshness: PrinterFreshness,
): PrinterView<Row> {
  // Object.assign, not `{ ...row, ...reading }`: V8 takes a slow path for a spread whose keys
  // (status, temperatures…) are already defined, ~25 times the cost (13 µs a printer, measured),
  // which a whole farm's report pays a thousand times over.
  return Object.assign({}, row, readPrinter(row, freshness));
}
