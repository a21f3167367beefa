import { type AgentStop, runAgent, tokenRevokedMessage } from "@apf/agent-core/agent";
import type { DestinationStream, Level } from "pino";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger, createRedactor } from "./logger.ts";

/** Where a command writes and what stops it. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal: AbortSignal;
  /** Log destination for `run`; default stdout. */
  logDestination?: DestinationStream;
  fetch?: typeof globalThis.fetch;
}

/** Exit code of `apf-agent run` when the backend revoked the agent token. */
export const EXIT_TOKEN_REVOKED = 3;

/** `apf-agent run`: 0 after a clean stop, 1 when the config is unusable, 3 when the token was revoked. */
export async function runCommand(
  options: { config: string; logLevel: Level | "silent" },
  io: CommandIo,
): Promise<number> {
  const redactor = createRedactor();
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(options.config, { onSecret: (secret) => redactor.add(secret) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`apf-agent: ${error.message}\n`);
    return 1;
  }
  const logger = createLogger({
    level: options.logLevel,
    redactor,
    ...(io.logDestination ? { destination: io.logDestination } : {}),
  });
  let stop = "signal" as AgentStop;
  await runAgent(config, {
    logger,
    signal: io.signal,
    onStopped: (reason) => {
      stop = reason;
    },
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  if (stop !== "token_revoked") return 0;
  io.stderr.write(`apf-agent: ${tokenRevokedMessage(config.agentToken.file === undefined)}\n`);
  return EXIT_TOKEN_REVOKED;
}
