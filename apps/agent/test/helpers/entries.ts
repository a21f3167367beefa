import type { MachineReport } from "@apf/agent-core/report-types";

/** A minimal machine entry; `observed` tells samples of the same machine apart. */
export function entry(id: string, observed = 0, extra: Partial<MachineReport> = {}): MachineReport {
  return {
    machine_id: id,
    name: id,
    type: "OCTOPRINT",
    url: `http://${id}.local`,
    observed_at: new Date(Date.UTC(2026, 10, 23, 10, 0, observed)).toISOString(),
    reachable: false,
    error: "connection refused (ECONNREFUSED)",
    octoprint: null,
    ...extra,
  };
}
