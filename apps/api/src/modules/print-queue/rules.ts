// The queue's rules, pure: when a printer can take a job, whether a job fits a printer, and why a
// job waits. The dispatcher, the start route and the waiting reasons read them from here.

/** What the rules need of a printer (a row of listQueuePrinters). */
export interface PrinterFacts {
  id: string;
  name: string;
  model: string | null;
  nozzleSize: number | null;
  currentFilamentType: string | null;
  currentColor: string | null;
  spoolType: string | null;
  spoolColor: string | null;
  status: string;
  online: boolean;
  isActive: boolean;
  inMaintenance: boolean;
  bedCleared: boolean;
  agentId: string | null;
  hasOpenJob: boolean;
  channelOpen: boolean;
}

/** What the rules need of a queued job and its file. */
export interface JobFacts {
  assignedPrinterId: string | null;
  color: string | null;
  filamentType: string | null;
  materialType: string | null;
  filePrinterModel: string | null;
  fileNozzleDiameter: number | null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Why the printer cannot take a job now (a phrase: "is offline"), or null when it can: online,
 * idle, active, not in maintenance, its bed cleared since its last job ended, no job on it.
 */
export function unavailability(p: PrinterFacts): string | null {
  if (!p.isActive) return "is inactive";
  if (p.inMaintenance) return "is in maintenance";
  if (!p.online) return "is offline";
  if (p.status !== "idle" || p.hasOpenJob) {
    return p.hasOpenJob && p.status === "idle" ? "has a job on its way" : `is ${p.status}`;
  }
  if (!p.bedCleared) return "needs its bed cleared";
  return null;
}

/** The printer model a file was sliced for is not this printer's (both known). */
export function modelMismatch(file: { printerModel: string | null }, p: PrinterFacts) {
  return file.printerModel !== null && p.model !== null && !same(file.printerModel, p.model);
}

/** The loaded material: what the printer reports, else its assigned spool. */
function loaded(p: PrinterFacts) {
  return {
    type: p.currentFilamentType ?? p.spoolType,
    color: p.currentColor ?? p.spoolColor,
  };
}

/**
 * Why the job does not fit the printer (a phrase naming the fact), or null when every fact both
 * sides know agrees. Readiness is not part of it (see unavailability).
 */
export function misfit(job: JobFacts, p: PrinterFacts): string | null {
  if (modelMismatch({ printerModel: job.filePrinterModel }, p)) {
    return `is a ${p.model}, the file is sliced for ${job.filePrinterModel}`;
  }
  const material = job.materialType ?? job.filamentType;
  const { type, color } = loaded(p);
  if (material !== null && type !== null && !same(material, type)) {
    return `has ${type} loaded, the job needs ${material}`;
  }
  if (job.color !== null && color !== null && !same(job.color, color)) {
    return `has ${color} filament loaded, the job needs ${job.color}`;
  }
  if (
    job.fileNozzleDiameter !== null &&
    p.nozzleSize !== null &&
    Math.abs(job.fileNozzleDiameter - p.nozzleSize) > 0.001
  ) {
    return `has a ${p.nozzleSize} mm nozzle, the file needs ${job.fileNozzleDiameter} mm`;
  }
  return null;
}

/** Whether the dispatcher may give this printer a job now (ready, and its agent listening). */
export function dispatchable(p: PrinterFacts): boolean {
  return unavailability(p) === null && p.agentId !== null && p.channelOpen;
}

/**
 * Why a queued job that no ready printer took is waiting, in a sentence for people
 * ("no printer with PETG loaded", "waiting for a printer's bed to be cleared").
 */
export function waitingReason(job: JobFacts, printers: readonly PrinterFacts[]): string {
  if (job.assignedPrinterId !== null) {
    const p = printers.find((x) => x.id === job.assignedPrinterId);
    if (!p) return "the assigned printer no longer exists";
    const wrong = misfit(job, p);
    if (wrong) return `assigned printer ${p.name} ${wrong}`;
    const why = unavailability(p);
    if (why) return `assigned printer ${p.name} ${why}`;
    if (!p.agentId || !p.channelOpen) return `assigned printer ${p.name}'s agent is not connected`;
    return `waiting for assigned printer ${p.name}, busy with a job ahead in the queue`;
  }
  const fitting = printers.filter((p) => misfit(job, p) === null && p.isActive);
  if (fitting.length === 0) return noPrinterFits(job, printers);
  const reasons = fitting.map(unavailability);
  if (reasons.includes(null)) {
    return fitting.some((p) => unavailability(p) === null && p.channelOpen)
      ? "waiting for a free printer: fitting printers are taken by jobs ahead in the queue"
      : "waiting for a fitting printer's agent to connect";
  }
  if (reasons.includes("needs its bed cleared")) return "waiting for a printer's bed to be cleared";
  if (reasons.some((r) => r?.startsWith("is printing") || r === "has a job on its way")) {
    return "waiting for a fitting printer to finish its print";
  }
  if (reasons.every((r) => r === "is in maintenance"))
    return "every fitting printer is in maintenance";
  return "every fitting printer is offline or not idle";
}

function noPrinterFits(job: JobFacts, printers: readonly PrinterFacts[]): string {
  const active = printers.filter((p) => p.isActive);
  if (active.length === 0) return "the organization has no active printer";
  if (job.filePrinterModel !== null) {
    const model = job.filePrinterModel;
    if (active.every((p) => modelMismatch({ printerModel: model }, p))) {
      return `no printer of model ${model}`;
    }
  }
  const material = job.materialType ?? job.filamentType;
  if (
    material !== null &&
    active.every(
      (p) =>
        misfit(job, p)?.includes("loaded, the job needs ") && misfit(job, p)?.includes(material),
    )
  ) {
    return `no printer with ${material} loaded`;
  }
  if (job.color !== null && active.every((p) => misfit(job, p)?.includes("filament loaded"))) {
    return `no printer with ${job.color} filament loaded`;
  }
  if (job.fileNozzleDiameter !== null && active.every((p) => misfit(job, p)?.includes("nozzle"))) {
    return `no printer with a ${job.fileNozzleDiameter} mm nozzle`;
  }
  return "no printer fits this job (model, material, colour or nozzle)";
}

/**
 * The name the file gets on OctoPrint, unique per job and still recognisable at the printer:
 * `<original stem>-<first 8 of the job id>.gcode`, the stem reduced to safe characters.
 */
export function octoprintFileName(originalFilename: string, jobId: string): string {
  const stem = originalFilename.replace(/\.[^.]*$/, "");
  const safe =
    stem
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 80) || "print";
  return `${safe}-${jobId.slice(0, 8)}.gcode`;
}
