import type { Logger } from "pino";
import { createAgentApi, within } from "./api/agent-client.ts";
import { classifyAnswer, type SendOutcome, tokenRefusedMessage } from "./backend-answer.ts";
import { backoffDelayMs, sleep as realSleep, type Sleep } from "./backoff.ts";
import type { CommandExecutor, CommandOutcome, ReceivedCommand } from "./command-executor.ts";
import { type ProgressSink, throttleProgress } from "./print/progress.ts";
import type { SecretProvider } from "./secret-provider.ts";

/** Options of {@link createCommandChannel}. */
export interface CommandChannelOptions {
  apiUrl: string;
  agentToken: SecretProvider;
  logger: Logger;
  execute: CommandExecutor;
  /** Called after a command reached OctoPrint, so its machine is polled at once. */
  onExecuted?: (machineId: string | null) => void;
  userAgent: string;
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  sleep?: Sleep;
  /** A monotonic clock in ms (not the wall clock, which may jump); default performance.now. */
  monotonic?: () => number;
  /** Seconds the backend may hold a poll open; default 25. */
  waitS?: number;
  /** A command held longer than this after it arrived is not run any more; default 10 s. */
  maxHoldMs?: number;
  backoff?: { baseMs?: number; capMs?: number };
  /**
   * Called once when the backend says the agent token was revoked (and the token file holds no
   * new one): the channel has stopped. Without it the channel keeps retrying like other refusals.
   */
  onRevoked?: (status: number) => void;
  /** Results kept for re-sending while the backend is away; default 1,000. */
  maxUndelivered?: number;
}

/** The agent's command channel, beside its polling. */
export interface CommandChannel {
  /** Long-polls for commands and carries them out until `signal` aborts or the token is revoked. */
  run(signal: AbortSignal): Promise<void>;
  /** Results not delivered yet (the backend was away), by command id. */
  undelivered(): ReadonlyMap<string, CommandOutcome>;
}

const RESULT_ATTEMPTS = 5;
/** Ids remembered to refuse a repeat; far more than can arrive while one could be repeated. */
const MAX_REMEMBERED = 10_000;

/**
 * Builds the channel: `GET /agent/v1/commands?wait=25` in a loop; each command is run at most
 * once (the backend hands a command out once; the agent also never runs an id twice), at once,
 * and its result posted to `/agent/v1/commands/{id}/result`. When the backend is away the channel
 * backs off like the reporter; a command held too long on this side is reported, not run.
 */
export function createCommandChannel(options: CommandChannelOptions): CommandChannel {
  const sleep = options.sleep ?? realSleep;
  const monotonic = options.monotonic ?? (() => performance.now());
  const waitS = options.waitS ?? 25;
  const maxHoldMs = options.maxHoldMs ?? 10_000;
  const { logger, agentToken } = options;
  const api = createAgentApi({
    apiUrl: options.apiUrl,
    agentToken,
    userAgent: options.userAgent,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const seen = new Set<string>();
  const undelivered = new Map<string, CommandOutcome>();
  const maxUndelivered = options.maxUndelivered ?? 1_000;

  /** One attempt to deliver a result: true when the backend settled it (2xx, or 4xx: never). */
  async function sendResult(id: string, outcome: CommandOutcome, signal: AbortSignal) {
    const sent = await within(10_000, signal, (signal) =>
      api.POST("/commands/{id}/result", {
        params: { path: { id } },
        body: outcome,
        // Settled by the status alone; the body is not read.
        parseAs: "text",
        signal,
      }),
    );
    if (!sent.ok) return false;
    const { status } = sent.answer.response;
    if (status < 200 || status >= 500) return false;
    if (status >= 300) {
      logger.warn({ command_id: id, status }, "backend refused a command result");
    }
    return true;
  }

  async function postResult(id: string, outcome: CommandOutcome, signal: AbortSignal) {
    for (let attempt = 1; attempt <= RESULT_ATTEMPTS; attempt++) {
      if (await sendResult(id, outcome, signal)) return;
      if (signal.aborted) break;
      if (attempt < RESULT_ATTEMPTS) {
        await sleep(backoffDelayMs(attempt, { baseMs: 500, capMs: 5_000 }), signal);
      }
    }
    // Kept and sent again when the backend answers: it learns what was carried out, and the
    // command is never run a second time to find out.
    undelivered.set(id, outcome);
    if (undelivered.size > maxUndelivered) {
      const oldest = undelivered.keys().next().value as string;
      undelivered.delete(oldest);
      logger.warn(
        { command_id: oldest },
        "too many undelivered command results; dropped the oldest",
      );
    }
    logger.warn(
      { command_id: id },
      "could not deliver a command result; will send it again when the backend answers",
    );
  }

  async function resendUndelivered(signal: AbortSignal) {
    for (const [id, outcome] of [...undelivered]) {
      if (signal.aborted || !(await sendResult(id, outcome, signal))) return;
      undelivered.delete(id);
      logger.info(
        { command_id: id, ok: outcome.ok },
        "command result delivered after the backend came back",
      );
    }
  }

  function progressOf(id: string): ProgressSink {
    let unsupported = false;
    return throttleProgress((stage, percent) => {
      if (unsupported) return undefined;
      return within(5_000, undefined, (signal) =>
        api.POST("/commands/{id}/progress", {
          params: { path: { id } },
          body: { stage, percent },
          parseAs: "text",
          signal,
        }),
      ).then((sent) => {
        // An older backend has no progress route: the print goes on without progress reports.
        if (sent.ok && sent.answer.response.status === 404) unsupported = true;
      });
    }, monotonic);
  }

  async function carryOut(command: ReceivedCommand, receivedAt: number, signal: AbortSignal) {
    // At most once: an id seen before is never run again, whatever the backend sends.
    if (seen.has(command.id)) return;
    seen.add(command.id);
    if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value as string);
    let outcome: CommandOutcome;
    if (monotonic() - receivedAt > maxHoldMs) {
      outcome = { ok: false, octoprint_status: null, error: "held too long by the agent; not run" };
      logger.warn({ command_id: command.id }, "command held too long; not run");
    } else {
      outcome = await options.execute(command, { progress: progressOf(command.id) });
      if (outcome.octoprint_status !== null) options.onExecuted?.(command.machine_id);
    }
    await postResult(command.id, outcome, signal);
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      // The backend holds the poll open up to `wait` seconds: the timeout leaves it 10 s more.
      const sent = await within((waitS + 10) * 1000, signal, (signal) =>
        api.GET("/commands", { params: { query: { wait: waitS } }, signal }),
      );
      if (signal.aborted) break;
      const receivedAt = monotonic();
      if (sent.ok && sent.answer.response.status === 200) {
        if (failures > 0) logger.info("command channel open again");
        failures = 0;
        if (undelivered.size > 0) await resendUndelivered(signal);
        const commands: ReceivedCommand[] = sent.answer.data?.data ?? [];
        await Promise.all(commands.map((command) => carryOut(command, receivedAt, signal)));
        continue;
      }
      failures += 1;
      const outcome: SendOutcome = sent.ok
        ? classifyAnswer(
            sent.answer.response.status,
            sent.answer.response.headers,
            sent.answer.error,
            Date.now(),
          )
        : sent.kind === "not_json"
          ? // e.g. api_url points at a site that answers every path with a page: back off like
            // any other failure instead of polling it in a tight loop.
            { kind: "unavailable", message: "the answer is not JSON (is api_url right?)" }
          : { kind: "unavailable", message: sent.message };
      const backoff = backoffDelayMs(failures, {
        ...options.backoff,
        ...(options.random ? { random: options.random } : {}),
      });
      const retryAfter = outcome.kind === "unavailable" ? (outcome.retryAfterMs ?? 0) : 0;
      const delayMs = Math.max(backoff, retryAfter);
      const retry_in_s = Math.round(delayMs / 100) / 10;
      if (
        outcome.kind === "auth" &&
        outcome.envelope.code === "TOKEN_REVOKED" &&
        options.onRevoked
      ) {
        // A revoked token never works again: stop, unless the token file was replaced meanwhile.
        const reload = await agentToken.reload();
        if (reload.changed) continue;
        options.onRevoked(outcome.status);
        return;
      }
      if (outcome.kind === "auth") {
        logger.error(
          { channel: "commands", code: outcome.envelope.code, status: outcome.status, retry_in_s },
          `command channel: ${tokenRefusedMessage(outcome.envelope, outcome.status, agentToken.file === undefined)}`,
        );
      } else if (failures === 1 || failures % 10 === 0) {
        const detail = "message" in outcome ? outcome.message : `HTTP ${outcome.status}`;
        logger.warn(
          { channel: "commands", error: detail, retry_in_s },
          "command channel unavailable; retrying",
        );
      }
      await sleep(delayMs, signal);
      if (outcome.kind === "auth" && !signal.aborted) await agentToken.reload();
    }
  }

  return { run, undelivered: () => undelivered };
}
