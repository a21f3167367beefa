/** What OctoPrint said in one poll, bodies as received (the server normalises them). */
export interface OctoPrintObservation {
  version: unknown;
  printer_http_status: number | null;
  printer: unknown;
  job: unknown;
  filament: unknown[] | null;
}

/** One machine's entry in `POST /agent/v1/reports` (see docs of the agent). */
export interface MachineReport {
  machine_id: string;
  name: string;
  type: "OCTOPRINT";
  url: string;
  observed_at: string;
  reachable: boolean;
  error: string | null;
  octoprint: OctoPrintObservation | null;
}

/** Who sends the report. */
export interface AgentInfo {
  version: string;
  hostname: string;
}

/** Body of `POST /agent/v1/reports`. */
export interface ReportBody {
  agent: AgentInfo;
  sent_at: string;
  machines: MachineReport[];
}
