import { PHASE_TEXT, phaseFlags } from "./phases.ts";
import type { Run } from "./print-run.ts";
import type { VirtualPrinter } from "./virtual-printer.ts";

// Response bodies shaped like OctoPrint 1.5+ answers them (docs/api/printer.rst, job.rst,
// connection.rst), built from the printer's state at one instant.

const BYTES_PER_SECOND = 1_500;

/** Which parts `?exclude=` removes and whether `?history=true&limit=N` asked for samples. */
export interface PrinterQuery {
  exclude: ReadonlySet<string>;
  history: boolean;
  limit: number;
}

/** Body of `GET /api/printer` for an operational printer. */
export function printerBody(
  p: VirtualPrinter,
  t: number,
  q: PrinterQuery,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (!q.exclude.has("temperature")) {
    const temperature: Record<string, unknown> = {
      tool0: { ...reading(p, "tool0", t), offset: 0 },
      bed: { ...reading(p, "bed", t), offset: 0 },
    };
    if (q.history) {
      const samples = Math.max(0, Math.min(q.limit, 300));
      temperature.history = Array.from({ length: samples }, (_, i) => {
        const at = t - i * 1000;
        return {
          time: Math.floor(at / 1000),
          tool0: reading(p, "tool0", at),
          bed: reading(p, "bed", at),
        };
      });
    }
    body.temperature = temperature;
  }
  if (!q.exclude.has("sd")) body.sd = { ready: false };
  if (!q.exclude.has("state")) {
    body.state = {
      text: PHASE_TEXT[p.phase],
      flags: phaseFlags(p.phase),
      error: p.errorText ?? "",
    };
  }
  return body;
}

function reading(p: VirtualPrinter, heater: "tool0" | "bed", t: number) {
  return { actual: p[heater].actualAt(t), target: p[heater].targetValue() };
}

/** Body of `GET /api/job`; OctoPrint answers it in every state, with nulls when nothing is selected. */
export function jobBody(p: VirtualPrinter, t: number): Record<string, unknown> {
  const run = p.run;
  const body: Record<string, unknown> = {
    job: run ? selectedJob(run) : emptyJob(),
    progress: run ? progress(p, run, t) : emptyProgress(),
    state: PHASE_TEXT[p.phase],
  };
  if (p.errorText) body.error = p.errorText;
  return body;
}

function totalMs(run: Run): number {
  return run.heatMs + run.durationMs;
}

function fileSize(run: Run): number {
  if (run.sizeBytes !== null) return run.sizeBytes;
  return Math.round((run.durationMs / 1000) * BYTES_PER_SECOND);
}

function selectedJob(run: Run) {
  return {
    file: {
      name: run.fileName.split("/").pop() ?? run.fileName,
      path: run.fileName,
      display: run.fileName.split("/").pop() ?? run.fileName,
      origin: "local",
      size: fileSize(run),
      date: Math.floor(run.fileDate / 1000),
    },
    estimatedPrintTime: Math.round(totalMs(run) / 1000),
    averagePrintTime: null,
    lastPrintTime: null,
    filament: { tool0: { length: Math.round(run.durationMs / 100), volume: 0 } },
    user: "_api",
  };
}

function emptyJob() {
  return {
    file: { name: null, path: null, display: null, origin: null, size: null, date: null },
    estimatedPrintTime: null,
    averagePrintTime: null,
    lastPrintTime: null,
    filament: null,
    user: null,
  };
}

function emptyProgress() {
  return {
    completion: null,
    filepos: null,
    printTime: null,
    printTimeLeft: null,
    printTimeLeftOrigin: null,
  };
}

function progress(p: VirtualPrinter, run: Run, t: number) {
  // OctoPrint resets progress to nulls after a cancel, and reports 100 % after a finished print
  if (run.outcome === "cancelled" || !run.started) return emptyProgress();
  const size = fileSize(run);
  if (run.outcome === "done") {
    return {
      completion: 100,
      filepos: size,
      printTime: Math.round(totalMs(run) / 1000),
      printTimeLeft: 0,
      printTimeLeftOrigin: "estimate",
    };
  }
  const printMs = p.printMsAt(t);
  const fraction = Math.min(1, Math.max(0, (printMs - run.heatMs) / run.durationMs));
  return {
    completion: fraction * 100,
    filepos: Math.round(fraction * size),
    printTime: Math.floor(printMs / 1000),
    printTimeLeft: Math.max(0, Math.ceil((totalMs(run) - printMs) / 1000)),
    printTimeLeftOrigin: "estimate",
  };
}

/** Body of `GET /api/connection`. */
export function connectionBody(p: VirtualPrinter): Record<string, unknown> {
  const connected = p.phase !== "offline";
  return {
    current: {
      state: connected ? PHASE_TEXT[p.phase] : "Closed",
      port: connected ? "/dev/ttyACM0" : null,
      baudrate: connected ? 250000 : null,
      printerProfile: "_default",
    },
    options: {
      ports: ["/dev/ttyACM0"],
      baudrates: [250000, 230400, 115200, 57600, 38400, 19200, 9600],
      printerProfiles: [{ id: "_default", name: "Default" }],
      portPreference: "/dev/ttyACM0",
      baudratePreference: 250000,
      printerProfilePreference: "_default",
      autoconnect: true,
    },
  };
}
