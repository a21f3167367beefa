import type { ReportRequest } from "./api/agent-client.ts";

type ReportedMachine = ReportRequest["machines"][number];
type ReportedObservation = NonNullable<ReportedMachine["octoprint"]>;

/**
 * What OctoPrint said in one poll, bodies as received: the backend checks and normalises them
 * (the generated types describe what it accepts; a body it refuses is a 400 naming the machine,
 * which the reporter then drops), so the agent keeps them as `unknown`.
 */
export type OctoPrintObservation = {
  [K in keyof ReportedObservation]: K extends "printer_http_status"
    ? ReportedObservation[K]
    : unknown;
};

/** One machine's entry in `POST /agent/v1/reports` (the generated type, OctoPrint's bodies unchecked). */
export type MachineReport = Omit<ReportedMachine, "octoprint"> & {
  octoprint: OctoPrintObservation | null;
};

/** Who sends the report. */
export type AgentInfo = ReportRequest["agent"];

/** Body of `POST /agent/v1/reports` as the agent sends it. */
export type ReportBody = Omit<ReportRequest, "machines"> & { machines: MachineReport[] };
