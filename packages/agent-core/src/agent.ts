import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { AgentConfig } from "./agent-config.ts";
import { sleep as realSleep, type Sleep } from "./backoff.ts";
import { createCommandChannel } from "./command-channel.ts";
import { createCommandExecutor } from "./command-executor.ts";
import { LatestState } from "./latest-state.ts";
import { redactUrlCredentials } from "./machine-identity.ts";
import { createPoller } from "./poller.ts";
import { DEFAULT_FILE_CACHE_MAX_BYTES, FileCache } from "./print/file-cache.ts";
import { createPrintExecutor } from "./print/print-executor.ts";
import { createReporter } from "./reporter.ts";
import { AGENT_VERSION } from "./version.ts";

/** Time as the agent sees it; tests inject their own. */
export interface Clock {
  now(): number;
  sleep: Sleep;
}

/** Dependencies of {@link runAgent}. */
export interface RunAgentOptions {
  logger: Logger;
  /** Aborting it stops the agent: the round in flight finishes, then one last flush. */
  signal: AbortSignal;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  hostname?: string;
  /** Limit of the last flush at shutdown; default 3 s. */
  shutdownFlushMs?: number;
  /** Called after each poll round (tests use it to step the agent). */
  onRound?: (round: number) => void;
  /** Told why the agent stopped, just before `runAgent` resolves. */
  onStopped?: (reason: AgentStop) => void;
  /** Seconds the backend may hold a command poll open; default 25. */
  commandWaitS?: number;
}

/** Why {@link runAgent} stopped. */
export type AgentStop = "signal" | "token_revoked";

/** The one line a revoked agent logs (and the CLI prints) before it stops. */
export function tokenRevokedMessage(inlineToken: boolean): string {
  const where = inlineToken ? "agent_token in the config file" : "agent_token_file";
  return `the backend revoked this agent's token (TOKEN_REVOKED): the agent stopped. Create a new agent token in the dashboard, put it in ${where} and start the agent again`;
}

/**
 * Runs the agent until `signal` aborts: polls every machine every `poll_interval_s`, keeps the
 * newest state per machine and reports it, and carries out the backend's commands. Stops by
 * itself when the backend revokes its token (one error line). Resolves (never rejects) once
 * stopped, after telling `onStopped` why.
 */
export async function runAgent(config: AgentConfig, options: RunAgentOptions): Promise<void> {
  const { logger } = options;
  // Aborted by the caller's signal, or by a revoked token.
  const stopping = new AbortController();
  const signal = AbortSignal.any([options.signal, stopping.signal]);
  let stop = "signal" as AgentStop;
  const revoked = (status: number) => {
    if (stop === "token_revoked") return;
    stop = "token_revoked";
    logger.error(
      { code: "TOKEN_REVOKED", status, file: config.agentToken.file },
      tokenRevokedMessage(config.agentToken.file === undefined),
    );
    stopping.abort();
  };
  const clock: Clock = options.clock ?? { now: Date.now, sleep: realSleep };
  const state = new LatestState();
  const poller = createPoller({
    machines: config.machines,
    requestTimeoutMs: config.requestTimeoutS * 1000,
    logger,
    now: clock.now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const reporter = createReporter({
    apiUrl: config.apiUrl,
    agentToken: config.agentToken,
    state,
    logger,
    agent: { version: AGENT_VERSION, hostname: options.hostname ?? hostname() },
    now: clock.now,
    sleep: clock.sleep,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.random ? { random: options.random } : {}),
    onRevoked: revoked,
  });

  const fileCacheSettings = {
    dir: config.fileCache?.dir ?? defaultFileCacheDir(),
    maxBytes: config.fileCache?.maxBytes ?? DEFAULT_FILE_CACHE_MAX_BYTES,
  };
  let fileCache: Promise<FileCache> | undefined;
  const openFileCache = () => {
    fileCache ??= FileCache.open(fileCacheSettings, logger).catch((error: unknown) => {
      fileCache = undefined;
      throw error;
    });
    return fileCache;
  };
  const userAgent = `apf-agent/${AGENT_VERSION}`;

  // Wakes the poll loop early: after a command, its printer's new state is reported at once.
  let pollNow: (() => void) | undefined;
  const channel = createCommandChannel({
    apiUrl: config.apiUrl,
    agentToken: config.agentToken,
    logger,
    execute: createCommandExecutor({
      machines: config.machines,
      requestTimeoutMs: config.requestTimeoutS * 1000,
      logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      print: createPrintExecutor({
        apiUrl: config.apiUrl,
        agentToken: config.agentToken,
        userAgent,
        fileCache: openFileCache,
        logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    }),
    onExecuted: () => pollNow?.(),
    onRevoked: revoked,
    userAgent,
    ...(options.commandWaitS ? { waitS: options.commandWaitS } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.random ? { random: options.random } : {}),
  });

  for (const warning of config.warnings) logger.warn({ config: config.configPath }, warning);
  logger.info(
    {
      version: AGENT_VERSION,
      api_url: redactUrlCredentials(config.apiUrl),
      machines: config.machines.length,
      poll_interval_s: config.pollIntervalS,
    },
    "agent started",
  );

  const reporting = reporter.run(signal);
  const commanding = channel.run(signal);
  const intervalMs = config.pollIntervalS * 1000;
  let round = 0;
  while (!signal.aborted) {
    const started = clock.now();
    const entries = await poller.pollRound();
    state.put(entries);
    reporter.notify();
    round += 1;
    logger.debug(
      { round, machines: entries.length, reachable: entries.filter((e) => e.reachable).length },
      "poll round done",
    );
    options.onRound?.(round);
    const elapsed = clock.now() - started;
    // A round slower than the interval starts the next one at once, but never overlaps.
    const early = new AbortController();
    pollNow = () => early.abort();
    await clock.sleep(Math.max(0, intervalMs - elapsed), AbortSignal.any([signal, early.signal]));
    pollNow = undefined;
  }

  await Promise.all([reporting, commanding]);
  const pending = state.size;
  if (pending > 0 && stop !== "token_revoked") {
    const result = await reporter.flush({ timeoutMs: options.shutdownFlushMs ?? 3000 });
    if (result.remaining > 0) {
      const reason =
        result.failure && "message" in result.failure
          ? result.failure.message
          : result.failure?.kind;
      logger.warn(
        { undelivered: result.remaining, reason },
        "stopping with undelivered machine state",
      );
    }
  }
  logger.info({ rounds: round, reason: stop }, "agent stopped");
  options.onStopped?.(stop);
}

/** `$CACHE_DIRECTORY` (systemd's CacheDirectory=), else a folder in the system's temp folder. */
export function defaultFileCacheDir(): string {
  const systemd = process.env.CACHE_DIRECTORY?.split(":")[0];
  return systemd ? join(systemd, "files") : join(tmpdir(), "apf-agent-files");
}
