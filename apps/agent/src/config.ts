import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { defaultFileCacheDir } from "@apf/agent-core/agent";
import type { AgentConfig, MachineConfig } from "@apf/agent-core/agent-config";
import { DEFAULT_FILE_CACHE_MAX_BYTES } from "@apf/agent-core/print/file-cache";
import {
  fileSecret,
  inlineSecret,
  isPrintableToken,
  SecretFileError,
  type SecretListener,
  type SecretProvider,
} from "@apf/agent-core/secret-provider";
import { hasTokenShape, TOKEN_PREFIXES } from "@apf/auth";
import { agentFileSchema, parseWith } from "./config-schema.ts";
import { EntryError, parseMachineEntry } from "./machine-config.ts";

export type { AgentConfig, MachineConfig } from "@apf/agent-core/agent-config";

/** A configuration problem: one line naming the file, the entry and the field; no secrets. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

// V8 words JSON errors two ways: "… in JSON at position 18", or "Unexpected token ',', <source
// excerpt> is not valid JSON" (10 characters either side, "..." where cut). Both become one line
// with line and column.
function jsonErrorPosition(message: string, text: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const excerpt = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(
    message,
  );
  if (!excerpt?.[1] || excerpt[3] === undefined) return undefined;
  const at = text.indexOf(excerpt[3]);
  if (at < 0) return undefined;
  return excerpt[2] ? at + 10 : at + excerpt[3].indexOf(excerpt[1]);
}

function jsonErrorMessage(error: unknown, text: string): string {
  const message = (error as Error).message;
  const what = message
    .replace(/( in JSON)? at position \d+.*$/s, "")
    .replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, "");
  const position = jsonErrorPosition(message, text);
  if (position === undefined) return what.replace(/\s+/g, " ");
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${what.replace(/\s+/g, " ")} at line ${line} column ${column}`;
}

async function loadAgentToken(
  file: string,
  data: { agent_token?: string; agent_token_file?: string },
  configDir: string,
  onSecret?: SecretListener,
): Promise<SecretProvider> {
  if (data.agent_token && data.agent_token_file) {
    throw new ConfigError(
      `${file}: agent_token_file: set either agent_token or agent_token_file, not both`,
    );
  }
  if (data.agent_token_file) {
    const path = resolve(configDir, data.agent_token_file);
    try {
      return await fileSecret(path, onSecret);
    } catch (error) {
      if (error instanceof SecretFileError)
        throw new ConfigError(`${file}: agent_token_file: ${error.reason}`);
      throw error;
    }
  }
  if (data.agent_token) {
    if (!isPrintableToken(data.agent_token)) {
      throw new ConfigError(`${file}: agent_token: must be a single token without spaces`);
    }
    return inlineSecret(data.agent_token, onSecret);
  }
  throw new ConfigError(`${file}: agent_token_file: is required (or agent_token)`);
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Receives every secret loaded now or later, so logs can scrub it. */
  onSecret?: SecretListener;
}

/**
 * Reads and validates agent.json (see apps/agent/README.md): api_url, the agent token, timings
 * and `machines[]`. Relative secret paths are resolved against the config file's directory.
 * Throws {@link ConfigError} with a one-line message on the first problem.
 */
export async function loadConfig(
  configPath: string,
  options: LoadConfigOptions = {},
): Promise<AgentConfig> {
  const file = configPath;
  const configDir = dirname(resolve(configPath));
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read ${resolve(configPath)}${code ? ` (${code})` : ""}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid JSON: ${jsonErrorMessage(error, text)}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: must hold a JSON object`);
  }
  const parsed = parseWith(agentFileSchema, raw);
  if (!parsed.ok) throw new ConfigError(`${file}: ${parsed.field}: ${parsed.message}`);
  const data = parsed.data;

  const agentToken = await loadAgentToken(file, data, configDir, options.onSecret);
  const warnings: string[] = [];
  if (!hasTokenShape(agentToken.get(), TOKEN_PREFIXES.agent)) {
    const field = data.agent_token_file ? "agent_token_file" : "agent_token";
    warnings.push(
      `${field}: the token does not look like an agent token (apf_agent_ and 64 hex characters)`,
    );
  }

  const machines: MachineConfig[] = [];
  const seen = new Map<string, MachineConfig>();
  for (const [index, entry] of data.machines.entries()) {
    let machine: MachineConfig;
    try {
      machine = await parseMachineEntry(entry, index, configDir, options.onSecret);
    } catch (error) {
      if (error instanceof EntryError) throw new ConfigError(`${file}: ${error.message}`);
      throw error;
    }
    const clash = seen.get(machine.id);
    if (clash) {
      const field = (entry as Record<string, unknown>).custom_name ? "custom_name" : "url";
      throw new ConfigError(
        `${file}: ${machine.label}: ${field}: machine identity ${JSON.stringify(machine.id)} is already used by ${clash.label}`,
      );
    }
    seen.set(machine.id, machine);
    machines.push(machine);
  }

  return {
    configPath,
    apiUrl: data.api_url.trim().replace(/\/+$/, ""),
    agentToken,
    pollIntervalS: data.poll_interval_s,
    requestTimeoutS: data.request_timeout_s,
    machines,
    ...fileCacheOf(data, configDir),
    warnings,
  };
}

/** `file_cache_dir` (relative to the config file) and `file_cache_mb`; unset → agent-core's defaults. */
function fileCacheOf(
  data: { file_cache_dir?: string | undefined; file_cache_mb?: number | undefined },
  configDir: string,
): Pick<AgentConfig, "fileCache"> {
  if (data.file_cache_dir === undefined && data.file_cache_mb === undefined) return {};
  return {
    fileCache: {
      dir: data.file_cache_dir ? resolve(configDir, data.file_cache_dir) : defaultFileCacheDir(),
      maxBytes: (data.file_cache_mb ?? DEFAULT_FILE_CACHE_MAX_BYTES / 1024 / 1024) * 1024 * 1024,
    },
  };
}
