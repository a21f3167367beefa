/**
 * The agent's core, shared by apps/agent (CLI, agent.json, systemd) and the API's demo: poll the
 * OctoPrint hosts (poller.ts), keep the newest state per machine (latest-state.ts), report it
 * (reporter.ts, report-chunks.ts, backend-answer.ts) with backoff (backoff.ts), and carry out the
 * backend's commands (command-channel.ts, command-executor.ts; `print` in print/: download to a
 * bounded file cache, upload to OctoPrint). Calls to /agent/v1 go through api/agent-client.ts, an
 * openapi-fetch client typed by api/agent-api.generated.ts (`npm run generate:agent-api`).
 */

export {
  type AgentStop,
  type Clock,
  type RunAgentOptions,
  runAgent,
  tokenRevokedMessage,
} from "./agent.ts";
export type { AgentConfig, MachineConfig } from "./agent-config.ts";
export { normalizeUrl, redactUrlCredentials } from "./machine-identity.ts";
export { DEFAULT_FILE_CACHE_MAX_BYTES } from "./print/file-cache.ts";
export { inlineSecret, type SecretProvider } from "./secret-provider.ts";
export { AGENT_VERSION } from "./version.ts";
