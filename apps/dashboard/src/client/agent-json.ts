/**
 * The agent.json the Agents page hands out with a new agent token. Every variant passes the
 * agent's own config loader as offered (apps/dashboard/test/agent-json.test.ts), so a technician
 * who saves it unchanged gets a running agent, not a configuration error.
 */

/** One `machines[]` entry of agent.json (apps/agent/src/config-schema.ts). */
export interface MachineEntry {
  type: "OCTOPRINT";
  url: string;
  api_key: string;
  custom_name: string;
}

/** Stands in for a real OctoPrint key: one token, as the agent requires, that says what it is. */
export const OCTOPRINT_KEY_PLACEHOLDER = "PASTE_THIS_PRINTERS_OCTOPRINT_API_KEY";

/** One printer to edit: OctoPi's default host name, and the placeholder key. */
export const EXAMPLE_MACHINES: readonly MachineEntry[] = [
  {
    type: "OCTOPRINT",
    url: "http://octopi.local",
    api_key: OCTOPRINT_KEY_PLACEHOLDER,
    custom_name: "printer-1",
  },
];

/** The simulator as apps/agent/README.md runs it: 3 printers on ports 5101-5103, key SIMKEY. */
export const SIMULATOR = { printers: 3, port: 5101, apiKey: "SIMKEY" } as const;

/** The command that starts those simulated printers, from the repository's root. */
export const SIMULATOR_COMMAND = `npm run simulator -w @apf/printers -- --printers ${SIMULATOR.printers} --port ${SIMULATOR.port} --api-key ${SIMULATOR.apiKey} --auto-print`;

/** The simulator's printers, as it prints them (`sim-printer-1  http://127.0.0.1:5101  api key: SIMKEY`). */
export const SIMULATOR_MACHINES: readonly MachineEntry[] = Array.from(
  { length: SIMULATOR.printers },
  (_, i) => ({
    type: "OCTOPRINT",
    url: `http://127.0.0.1:${SIMULATOR.port + i}`,
    api_key: SIMULATOR.apiKey,
    custom_name: `sim-printer-${i + 1}`,
  }),
);

/** agent.json for `token`, reporting to `apiUrl`, polling `machines`. */
export function agentJson(
  apiUrl: string,
  token: string,
  machines: readonly MachineEntry[] = EXAMPLE_MACHINES,
): string {
  return JSON.stringify(
    { api_url: apiUrl, agent_token: token, poll_interval_s: 5, machines },
    null,
    2,
  );
}
