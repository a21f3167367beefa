import { jobFixture, printerFixture, versionFixture } from "@apf/printers/testing";
import type { createApp } from "../../src/app.ts";

/** OctoPrint's documented bodies, as they are. */
export const FIXTURES = {
  printer: printerFixture(),
  job: jobFixture(),
  version: versionFixture(),
};

type Flags = Partial<
  Record<
    | "operational"
    | "printing"
    | "paused"
    | "pausing"
    | "cancelling"
    | "error"
    | "ready"
    | "closedOrError"
    | "finishing"
    | "resuming",
    boolean
  >
>;

const IDLE: Flags = {
  operational: true,
  paused: false,
  printing: false,
  pausing: false,
  cancelling: false,
  sdReady: false,
  error: false,
  ready: true,
  closedOrError: false,
} as Flags;

/** /api/printer: the documented body with other state flags. */
export function printerBody(flags: Flags, text = "Operational") {
  const body = structuredClone(FIXTURES.printer) as { state: { text: string; flags: Flags } };
  body.state = { text, flags: { ...IDLE, ...flags } };
  return body;
}

/** /api/job: the documented body for a file at a completion percentage (null: none). */
export function jobBody(fileName: string | null, completion: number | null, state = "Printing") {
  const body = structuredClone(FIXTURES.job) as {
    job: { file: { name: string | null } };
    progress: { completion: number | null; printTime: number | null; printTimeLeft: number | null };
    state: string;
  };
  body.job.file.name = fileName;
  body.progress.completion = completion;
  body.state = state;
  return body;
}

export interface MachineOptions {
  machineId?: string;
  observedAt: string | Date;
  flags?: Flags;
  file?: string | null;
  completion?: number | null;
  reachable?: boolean;
  printerHttpStatus?: number;
}

/** One machine entry of a report, as the agent sends it. */
export function machine(o: MachineOptions) {
  const id = o.machineId ?? "printer-a";
  const observedAt = typeof o.observedAt === "string" ? o.observedAt : o.observedAt.toISOString();
  if (o.reachable === false) {
    return {
      machine_id: id,
      name: id,
      type: "OCTOPRINT",
      url: `http://${id}.local`,
      observed_at: observedAt,
      reachable: false,
      error: "connect ECONNREFUSED",
      octoprint: null,
    };
  }
  const status = o.printerHttpStatus ?? 200;
  return {
    machine_id: id,
    name: id,
    type: "OCTOPRINT",
    url: `http://${id}.local`,
    observed_at: observedAt,
    reachable: true,
    error: null,
    octoprint: {
      version: FIXTURES.version,
      printer_http_status: status,
      printer: status === 200 ? printerBody(o.flags ?? {}) : null,
      job: jobBody(
        o.file ?? null,
        o.completion ?? null,
        o.flags?.printing ? "Printing" : "Operational",
      ),
      filament: null,
    },
  };
}

export function report(machines: unknown[], sentAt = new Date().toISOString()) {
  return { agent: { version: "0.1.0", hostname: "farm-pi" }, sent_at: sentAt, machines };
}

/** POST a report as the agent: a string body is sent as it is, anything else as JSON. */
export function postReport(app: ReturnType<typeof createApp>, token: string, body: unknown) {
  return app.request("/agent/v1/reports", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
