import { setTimeout as delay } from "node:timers/promises";
import { basicAuthHeader, exchange, joinUrl } from "./client.ts";
import { appKeysAuthResponseSchema, appKeysKeyResponseSchema } from "./schemas.ts";

/** Why a step of the Application Keys workflow failed. */
export type AppKeysFailureKind =
  | "unsupported"
  | "denied"
  | "timeout"
  | "aborted"
  | "unreachable"
  | "http";

/** A failed step; `message` is a short text for people and never holds a key. */
export interface AppKeysFailure {
  ok: false;
  kind: AppKeysFailureKind;
  status?: number;
  message: string;
}

/** Outcome of `POST /plugin/appkeys/request`: where to poll for the decision. */
export type AppKeysRequestResult =
  | { ok: true; pollUrl: string; authDialogUrl?: string }
  | AppKeysFailure;

/** Outcome of one poll of the decision endpoint. */
export type AppKeysDecision =
  | { ok: true; state: "pending" }
  | { ok: true; state: "granted"; apiKey: string }
  | AppKeysFailure;

/** Options of {@link createAppKeysClient}. */
export interface AppKeysClientOptions {
  baseUrl: string;
  /** Per request. */
  requestTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** The three endpoints of OctoPrint's Application Keys plugin that an app uses. */
export interface AppKeysClient {
  probe(signal?: AbortSignal): Promise<{ ok: true } | AppKeysFailure>;
  request(app: string, user?: string, signal?: AbortSignal): Promise<AppKeysRequestResult>;
  poll(pollUrl: string, signal?: AbortSignal): Promise<AppKeysDecision>;
}

/**
 * Client of the Application Keys plugin (OctoPrint 1.3.10+): `GET /plugin/appkeys/probe`,
 * `POST /plugin/appkeys/request`, `GET <Location>`. Never throws.
 */
export function createAppKeysClient(options: AppKeysClientOptions): AppKeysClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.requestTimeoutMs ?? 5000;
  const basicAuth = basicAuthHeader(options.baseUrl);
  const headers = (extra: Record<string, string> = {}) => ({
    accept: "application/json",
    ...(basicAuth ? { authorization: basicAuth } : {}),
    ...extra,
  });

  return {
    async probe(signal) {
      const answer = await exchange(
        fetchFn,
        joinUrl(options.baseUrl, "/plugin/appkeys/probe"),
        { headers: headers() },
        timeoutMs,
        signal,
      );
      if (!answer.ok) return answer;
      if (answer.status === 204) return { ok: true };
      return {
        ok: false,
        kind: answer.status === 404 ? "unsupported" : "http",
        status: answer.status,
        message:
          answer.status === 404
            ? "the Application Keys plugin is disabled or missing (OctoPrint older than 1.3.10?)"
            : `probe answered HTTP ${answer.status}`,
      };
    },

    async request(app, user, signal) {
      const url = joinUrl(options.baseUrl, "/plugin/appkeys/request");
      const body = JSON.stringify(user ? { app, user } : { app });
      const init = {
        method: "POST",
        headers: headers({ "content-type": "application/json" }),
        body,
      };
      const answer = await exchange(fetchFn, url, init, timeoutMs, signal);
      if (!answer.ok) return answer;
      if (answer.status !== 201) {
        const kind = answer.status === 404 ? "unsupported" : "http";
        return {
          ok: false,
          kind,
          status: answer.status,
          message: `request answered HTTP ${answer.status}`,
        };
      }
      const parsed = appKeysAuthResponseSchema.safeParse(safeJson(answer.text));
      const location = answer.headers.get("location");
      // Location is the documented way; the app_token fallback covers proxies that drop headers.
      const target =
        location ?? (parsed.success ? `/plugin/appkeys/request/${parsed.data.app_token}` : null);
      if (!target) {
        return {
          ok: false,
          kind: "http",
          status: 201,
          message: "request answered without Location",
        };
      }
      const pollUrl = location
        ? new URL(location, url).toString()
        : joinUrl(options.baseUrl, target);
      const authDialogUrl = parsed.success ? parsed.data.auth_dialog : undefined;
      return authDialogUrl ? { ok: true, pollUrl, authDialogUrl } : { ok: true, pollUrl };
    },

    async poll(pollUrl, signal) {
      const answer = await exchange(fetchFn, pollUrl, { headers: headers() }, timeoutMs, signal);
      if (!answer.ok) return answer;
      if (answer.status === 202) return { ok: true, state: "pending" };
      if (answer.status === 404) {
        return {
          ok: false,
          kind: "denied",
          status: 404,
          message: "access was denied or the request expired",
        };
      }
      if (answer.status !== 200) {
        return {
          ok: false,
          kind: "http",
          status: answer.status,
          message: `poll answered HTTP ${answer.status}`,
        };
      }
      const parsed = appKeysKeyResponseSchema.safeParse(safeJson(answer.text));
      if (!parsed.success) {
        return {
          ok: false,
          kind: "http",
          status: 200,
          message: "decision answer holds no api_key",
        };
      }
      return { ok: true, state: "granted", apiKey: parsed.data.api_key };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Options of {@link obtainAppKey}. */
export interface ObtainAppKeyOptions extends AppKeysClientOptions {
  /** Shown to the person approving; OctoPrint compares it case-insensitively. */
  app?: string;
  /** Restricts the decision to this OctoPrint user (recommended by OctoPrint). */
  user?: string;
  /** Overall limit for the person to decide. */
  timeoutMs?: number;
  /** OctoPrint drops a request not polled for 5 s, so keep this well under that. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called once the request is waiting for a decision (tell the person to approve it). */
  onPending?: (info: { authDialogUrl?: string }) => void;
}

// Outside the polling loop a request timing out means the host did not answer; `timeout` is kept
// for nobody deciding in time.
function asStepFailure(failure: AppKeysFailure): AppKeysFailure {
  return failure.kind === "timeout" ? { ...failure, kind: "unreachable" } : failure;
}

/** Outcome of the whole workflow. */
export type ObtainAppKeyResult = { ok: true; apiKey: string } | AppKeysFailure;

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Runs the Application Keys workflow: probe, request, then poll every `pollIntervalMs` until
 * the person approves (the key), denies or lets it expire (`denied`), `timeoutMs` passes
 * (`timeout`) or `signal` aborts (`aborted`). Network errors while polling are retried until
 * the deadline. Never throws.
 */
export async function obtainAppKey(options: ObtainAppKeyOptions): Promise<ObtainAppKeyResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const { signal } = options;
  const aborted: AppKeysFailure = { ok: false, kind: "aborted", message: "pairing was cancelled" };
  const client = createAppKeysClient(options);

  const probe = await client.probe(signal);
  if (signal?.aborted) return aborted;
  if (!probe.ok) return asStepFailure(probe);

  const started = await client.request(options.app ?? "apf-agent", options.user, signal);
  if (signal?.aborted) return aborted;
  if (!started.ok) return asStepFailure(started);
  options.onPending?.(started.authDialogUrl ? { authDialogUrl: started.authDialogUrl } : {});

  const deadline = now() + timeoutMs;
  for (;;) {
    const decision = await client.poll(started.pollUrl, signal);
    if (signal?.aborted) return aborted;
    if (decision.ok && decision.state === "granted") return { ok: true, apiKey: decision.apiKey };
    if (!decision.ok && decision.kind !== "unreachable" && decision.kind !== "timeout") {
      return decision;
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      const message = `no decision within ${Math.round(timeoutMs / 1000)} s`;
      return { ok: false, kind: "timeout", message };
    }
    await sleep(Math.min(pollIntervalMs, remaining), signal);
    if (signal?.aborted) return aborted;
  }
}
