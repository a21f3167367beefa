/**
 * The agent's core, shared by apps/agent (CLI, agent.json, systemd) and the API's demo: poll the
 * OctoPrint hosts (poller.ts), keep the newest state per machine (latest-state.ts), report it
 * (reporter.ts, report-chunks.ts, backend-answer.ts) with backoff (backoff.ts).
 */

export { type Clock, type RunAgentOptions, runAgent } from "./agent.ts";
export type { AgentConfig, MachineConfig } from "./agent-config.ts";
export { normalizeUrl, redactUrlCredentials } from "./machine-identity.ts";
export { inlineSecret, type SecretProvider } from "./secret-provider.ts";
export { AGENT_VERSION } from "./version.ts";
