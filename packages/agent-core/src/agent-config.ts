import type { SecretProvider } from "./secret-provider.ts";

/** One OctoPrint host the agent polls. */
export interface MachineConfig {
  /** Stable identity: `custom_name`, else the normalised URL. */
  id: string;
  name: string;
  type: "OCTOPRINT";
  /** Normalised URL, without credentials: what the report carries. */
  url: string;
  /** The URL as configured (may carry a path prefix or credentials): what requests go to. */
  baseUrl: string;
  apiKey: SecretProvider;
  /** `machines[2] ("printer-b")`: how messages name this entry. */
  label: string;
}

/** What {@link runAgent} needs to run: apps/agent builds it from agent.json, the API's demo in code. */
export interface AgentConfig {
  /** The config file as given (used to name it in messages). */
  configPath: string;
  /** Backend base URL, without trailing slash. */
  apiUrl: string;
  agentToken: SecretProvider;
  pollIntervalS: number;
  requestTimeoutS: number;
  machines: MachineConfig[];
  /** Where downloaded print files are kept; default `$CACHE_DIRECTORY` or the temp folder, 1 GiB. */
  fileCache?: { dir: string; maxBytes: number };
  /** Things worth a log line that do not stop the agent. */
  warnings: string[];
}
