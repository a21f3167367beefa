import type { Logger } from "pino";
import { agentApiBase, createAgentApi, type ReportRequest, within } from "./api/agent-client.ts";
import { classifyAnswer, type SendOutcome, tokenRefusedMessage } from "./backend-answer.ts";
import { backoffDelayMs, sleep as realSleep, type Sleep } from "./backoff.ts";
import type { LatestState } from "./latest-state.ts";
import {
  type Chunk,
  type ChunkLimits,
  chunkEntries,
  DEFAULT_CHUNK_LIMITS,
} from "./report-chunks.ts";
import type { AgentInfo } from "./report-types.ts";
import type { SecretProvider } from "./secret-provider.ts";

/** Options of {@link createReporter}. */
export interface ReporterOptions {
  /** Backend base URL; reports go to `{apiUrl}/agent/v1/reports`. */
  apiUrl: string;
  agentToken: SecretProvider;
  state: LatestState;
  logger: Logger;
  agent: AgentInfo;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  random?: () => number;
  sleep?: Sleep;
  /** Per report request; default 30 s. */
  requestTimeoutMs?: number;
  backoff?: { baseMs?: number; capMs?: number };
  limits?: ChunkLimits;
  /**
   * Called once when the backend says the agent token was revoked (and the token file holds no
   * new one): `run` has stopped. Without it `run` keeps retrying like other refusals.
   */
  onRevoked?: (status: number) => void;
}

/** What one pass over the pending state achieved. */
export interface FlushResult {
  delivered: number;
  dropped: number;
  /** Machines still pending afterwards. */
  remaining: number;
  /** The answer that stopped the pass, when one did. */
  failure?: Exclude<SendOutcome, { kind: "delivered" | "rejected" }>;
}

/** Sends the newest state per machine to the backend. */
export interface Reporter {
  /** Sends whenever there is new state, backing off on failures, until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Tells `run` that a poll round put new state. */
  notify(): void;
  /** One attempt to send everything pending, without backoff (used at shutdown). */
  flush(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<FlushResult>;
}

/**
 * Builds the reporter. A 2xx settles what it delivered; 400 drops the report (logged with the
 * server's message); 401/403 logs one error line per backoff step and re-reads the token file
 * before each retry; network errors, 5xx and 429 (Retry-After honoured) back off with full jitter.
 */
export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const limits = options.limits ?? DEFAULT_CHUNK_LIMITS;
  const { state, logger, agentToken } = options;
  const endpoint = `${agentApiBase(options.apiUrl)}/reports`;
  const api = createAgentApi({
    apiUrl: options.apiUrl,
    agentToken,
    userAgent: `apf-agent/${options.agent.version}`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let wake: (() => void) | undefined;

  async function post(chunk: Chunk, timeoutMs: number, signal?: AbortSignal): Promise<SendOutcome> {
    const report: ReportRequest = {
      agent: options.agent,
      sent_at: new Date(now()).toISOString(),
      machines: [],
    };
    const sent = await within(timeoutMs, signal, (signal) =>
      api.POST("/reports", {
        body: report,
        // The machines were serialised once already, while chunking (their sizes make the
        // chunks): they go into the report's empty list as they are, not serialised again.
        bodySerializer: (envelope) => withMachines(envelope, chunk.json),
        // Any 2xx settles the report, whatever its body says.
        parseAs: "text",
        signal,
      }),
    );
    if (!sent.ok) return { kind: "unavailable", message: sent.message };
    const { response, error } = sent.answer;
    return classifyAnswer(response.status, response.headers, error, now());
  }

  async function flush(
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<FlushResult> {
    const { chunks, oversized } = chunkEntries(state.pending(), limits);
    const result: FlushResult = { delivered: 0, dropped: 0, remaining: 0 };
    if (oversized.length > 0) {
      const ids = oversized.map((p) => p.entry.machine_id);
      logger.error({ machines: ids }, "machine state too large for one report; dropped it");
      state.settle(oversized);
      result.dropped += oversized.length;
    }
    for (const first of chunks) {
      let chunk: Chunk | null = first;
      while (chunk) {
        const outcome = await post(chunk, opts.timeoutMs ?? requestTimeoutMs, opts.signal);
        if (outcome.kind === "delivered") {
          state.settle(chunk.taken);
          result.delivered += chunk.taken.length;
          logger.debug(
            { machines: chunk.taken.length, status: outcome.status },
            "report delivered",
          );
          chunk = null;
        } else if (outcome.kind === "rejected") {
          const { code, error, requestId, machineIndex } = outcome.envelope;
          // One host's odd body must not keep the whole farm from reporting: when the backend
          // names the offending machine, drop only that one and send the rest again.
          const culprit = offendingMachine(machineIndex, chunk.taken.length);
          const dropped = culprit === null ? chunk.taken : [chunk.taken[culprit]!];
          logger.error(
            {
              status: outcome.status,
              code,
              error,
              request_id: requestId,
              machines: dropped.map((p) => p.entry.machine_id),
            },
            `backend rejected ${culprit === null ? "a report" : "one machine's state"} and it was dropped: ${error ?? `HTTP ${outcome.status}`}`,
          );
          state.settle(dropped);
          result.dropped += dropped.length;
          chunk = culprit === null ? null : withoutMachine(chunk, culprit);
        } else {
          result.failure = outcome;
          break;
        }
      }
      if (result.failure) break;
    }
    result.remaining = state.size;
    return result;
  }

  function logFailure(failure: NonNullable<FlushResult["failure"]>, retryInMs: number): void {
    const retry_in_s = Math.round(retryInMs / 100) / 10;
    const pending = state.size;
    if (failure.kind === "auth") {
      const message = tokenRefusedMessage(
        failure.envelope,
        failure.status,
        agentToken.file === undefined,
      );
      logger.error(
        {
          code: failure.envelope.code,
          status: failure.status,
          file: agentToken.file,
          retry_in_s,
          pending,
        },
        message,
      );
    } else if (failure.kind === "misconfigured") {
      logger.error({ status: failure.status, url: endpoint, retry_in_s, pending }, failure.message);
    } else {
      logger.warn(
        { status: failure.status, error: failure.message, retry_in_s, pending },
        "backend unavailable; keeping the newest state per machine and retrying",
      );
    }
  }

  async function waitForWork(signal: AbortSignal): Promise<void> {
    if (state.size > 0 || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        wake = undefined;
        resolve();
      };
      wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      await waitForWork(signal);
      if (signal.aborted) break;
      const result = await flush({ signal });
      if (signal.aborted) break;
      if (!result.failure) {
        if (failures > 0) {
          logger.info(
            { failed_attempts: failures, delivered: result.delivered },
            "backend reachable again; newest state delivered",
          );
        }
        failures = 0;
        continue;
      }
      const { failure } = result;
      if (
        failure.kind === "auth" &&
        failure.envelope.code === "TOKEN_REVOKED" &&
        options.onRevoked
      ) {
        // A revoked token never works again: stop, unless the token file was replaced meanwhile.
        const reload = await agentToken.reload();
        if (reload.changed) continue;
        options.onRevoked(failure.status);
        return;
      }
      failures += 1;
      const backoff = backoffDelayMs(failures, {
        ...options.backoff,
        ...(options.random ? { random: options.random } : {}),
      });
      // Retry-After is a lower bound: never sooner than the server asked, never a busy loop.
      const retryAfter = failure.kind === "unavailable" ? (failure.retryAfterMs ?? 0) : 0;
      const delayMs = Math.max(backoff, retryAfter);
      logFailure(failure, delayMs);
      await sleep(delayMs, signal);
      if (failure.kind === "auth" && !signal.aborted) {
        const reload = await agentToken.reload();
        if (reload.error) logger.warn({ error: reload.error }, "cannot re-read agent_token_file");
        if (reload.changed)
          logger.info(
            { file: agentToken.file },
            "agent_token_file changed; retrying with the new token",
          );
      }
    }
  }

  return { run, flush, notify: () => wake?.() };
}

/** The report's JSON with `machines` (already serialised, one JSON text each) as its list. */
function withMachines(report: ReportRequest, machines: readonly string[]): string {
  const { machines: _empty, ...head } = report;
  return `${JSON.stringify(head).slice(0, -1)},"machines":[${machines.join(",")}]}`;
}

/** The machine a 400 names in its `machine_index`, when it is one of this chunk's; else null. */
export function offendingMachine(index: number | undefined, count: number): number | null {
  return index !== undefined && index >= 0 && index < count ? index : null;
}

function withoutMachine(chunk: Chunk, index: number): Chunk | null {
  if (chunk.taken.length <= 1) return null;
  return {
    bytes: chunk.bytes - (chunk.json[index]?.length ?? 0) - 1,
    json: chunk.json.filter((_, i) => i !== index),
    taken: chunk.taken.filter((_, i) => i !== index),
  };
}
