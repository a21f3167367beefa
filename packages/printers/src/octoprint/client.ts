/** Why a request to OctoPrint gave no usable answer. */
export type OctoPrintFailureKind = "unreachable" | "timeout" | "auth" | "not_operational" | "http";

/** Outcome of one OctoPrint request; the client never throws. */
export type OctoPrintResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; kind: OctoPrintFailureKind; status?: number; message: string };

/** Options of {@link createOctoPrintClient}. */
export interface OctoPrintClientOptions {
  /** OctoPrint base URL; may end with a slash or carry a path prefix (`http://host/octoprint/`). */
  baseUrl: string;
  /** Called for every request, so a re-read key is used at once. */
  apiKey: () => string;
  /** Per request, body included. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Per-call options; `signal` cancels the request early (it then fails as `timeout`). */
export interface OctoPrintRequestOptions {
  signal?: AbortSignal;
}

/** A job command the agent may send: the only writes it ever makes to OctoPrint. */
export type JobCommand = "pause" | "resume" | "cancel";

/** The `POST /api/job` body OctoPrint documents for each job command. */
export const JOB_COMMAND_BODIES: Readonly<Record<JobCommand, Record<string, string>>> = {
  pause: { command: "pause", action: "pause" },
  resume: { command: "pause", action: "resume" },
  cancel: { command: "cancel" },
};

/** Outcome of a job command: `204` is accepted; `409` (not in a state for it) keeps OctoPrint's text. */
export type JobCommandResult =
  | { ok: true; status: number }
  | { ok: false; kind: OctoPrintFailureKind; status?: number; message: string };

/** The three reads the agent does on every OctoPrint host, and the three job commands. */
export interface OctoPrintClient {
  readonly baseUrl: string;
  getVersion(options?: OctoPrintRequestOptions): Promise<OctoPrintResult>;
  getPrinter(options?: OctoPrintRequestOptions): Promise<OctoPrintResult>;
  getJob(options?: OctoPrintRequestOptions): Promise<OctoPrintResult>;
  /** `POST /api/job` with OctoPrint's body for `command` (see {@link JOB_COMMAND_BODIES}). */
  sendJobCommand(command: JobCommand, options?: OctoPrintRequestOptions): Promise<JobCommandResult>;
}

/** A request that got an HTTP answer, or why it got none. */
export type HttpExchange =
  | { ok: true; status: number; headers: Headers; text: string; url: string }
  | { ok: false; kind: "unreachable" | "timeout"; message: string };

/**
 * Joins `path` onto `baseUrl`, keeping a path prefix and dropping credentials and fragments:
 * `joinUrl("http://h/octoprint/", "/api/job")` is `http://h/octoprint/api/job`.
 */
export function joinUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  const [pathname = "", query] = path.split("?", 2);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${pathname.replace(/^\/+/, "")}`;
  url.search = query ? `?${query}` : "";
  url.hash = "";
  url.username = "";
  url.password = "";
  return url.toString();
}

/** `Authorization: Basic …` for credentials written into the base URL (fetch refuses such URLs). */
export function basicAuthHeader(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  if (!url.username && !url.password) return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair).toString("base64")}`;
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EHOSTDOWN: "host down",
  EPIPE: "connection closed",
  UND_ERR_SOCKET: "connection closed",
};

/** Why a fetch threw, in a few words: timeout, or the network error's code and meaning. */
export function describeFailure(
  error: unknown,
  timeoutMs: number,
): Extract<HttpExchange, { ok: false }> {
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err?.name === "TimeoutError") {
    return { ok: false, kind: "timeout", message: `timed out after ${timeoutMs / 1000} s` };
  }
  if (err?.name === "AbortError") return { ok: false, kind: "timeout", message: "aborted" };
  const code = err?.cause?.code;
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
    return { ok: false, kind: "timeout", message: `connect timed out (${code})` };
  }
  const known = code ? NETWORK_MESSAGES[code] : undefined;
  if (known) return { ok: false, kind: "unreachable", message: `${known} (${code})` };
  const detail = err?.cause?.message ?? err?.message ?? String(error);
  return { ok: false, kind: "unreachable", message: code ? `${detail} (${code})` : detail };
}

/**
 * One HTTP exchange with a timeout covering headers and body; never throws. Shared by the
 * OctoPrint clients (and the agent's reporter) so timeouts and network errors read the same.
 */
export async function exchange(
  fetchFn: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpExchange> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(url, {
      ...init,
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    const text = await response.text();
    return { ok: true, status: response.status, headers: response.headers, text, url };
  } catch (error) {
    return describeFailure(error, timeoutMs);
  }
}

/** Maps an HTTP answer of a GET to a result: JSON body on 2xx, a failure kind otherwise. */
function toResult(answer: Extract<HttpExchange, { ok: true }>, path: string): OctoPrintResult {
  const { status } = answer;
  if (status === 401 || status === 403) {
    return { ok: false, kind: "auth", status, message: `${path}: key refused (HTTP ${status})` };
  }
  if (status === 409) {
    return { ok: false, kind: "not_operational", status, message: "printer is not operational" };
  }
  if (status < 200 || status > 299) {
    return { ok: false, kind: "http", status, message: `${path}: HTTP ${status}` };
  }
  try {
    return { ok: true, status, body: JSON.parse(answer.text) };
  } catch {
    return { ok: false, kind: "http", status, message: `${path}: answer is not JSON` };
  }
}

/** OctoPrint's own reason from an error body (`{"error": "…"}`), shortened; or "". */
export function octoprintReason(text: string): string {
  try {
    const error = (JSON.parse(text) as { error?: unknown })?.error;
    return typeof error === "string" ? error.slice(0, 200) : "";
  } catch {
    return "";
  }
}

/** Maps the answer to a job command: any 2xx is accepted, anything else keeps its status. */
function toCommandResult(
  answer: Extract<HttpExchange, { ok: true }>,
  command: JobCommand,
): JobCommandResult {
  const { status } = answer;
  if (status >= 200 && status <= 299) return { ok: true, status };
  const reason = octoprintReason(answer.text);
  const message = `${command}: OctoPrint answered HTTP ${status}${reason ? ` (${reason})` : ""}`;
  if (status === 401 || status === 403) return { ok: false, kind: "auth", status, message };
  return { ok: false, kind: "http", status, message };
}

/**
 * Pure HTTP client of the OctoPrint REST API. Sends `X-Api-Key` on every request and returns a
 * discriminated result instead of throwing: `409` is `not_operational` (the host answered but
 * has no printer connection), `401`/`403` is `auth`.
 */
export function createOctoPrintClient(options: OctoPrintClientOptions): OctoPrintClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const basicAuth = basicAuthHeader(options.baseUrl);

  function target(path: string): { url: string; headers: Record<string, string> } | string {
    try {
      const url = joinUrl(options.baseUrl, path);
      const headers: Record<string, string> = {
        accept: "application/json",
        "x-api-key": options.apiKey(),
      };
      if (basicAuth) headers.authorization = basicAuth;
      return { url, headers };
    } catch (error) {
      return `${path}: ${(error as Error).message}`;
    }
  }

  async function get(path: string, request?: OctoPrintRequestOptions): Promise<OctoPrintResult> {
    const to = target(path);
    if (typeof to === "string") return { ok: false, kind: "http", message: to };
    const answer = await exchange(
      fetchFn,
      to.url,
      { headers: to.headers },
      timeoutMs,
      request?.signal,
    );
    return answer.ok ? toResult(answer, path) : answer;
  }

  async function sendJobCommand(
    command: JobCommand,
    request?: OctoPrintRequestOptions,
  ): Promise<JobCommandResult> {
    const to = target("/api/job");
    if (typeof to === "string") return { ok: false, kind: "http", message: to };
    const init: RequestInit = {
      method: "POST",
      headers: { ...to.headers, "content-type": "application/json" },
      body: JSON.stringify(JOB_COMMAND_BODIES[command]),
      redirect: "manual",
    };
    const answer = await exchange(fetchFn, to.url, init, timeoutMs, request?.signal);
    return answer.ok ? toCommandResult(answer, command) : answer;
  }

  return {
    baseUrl: options.baseUrl,
    getVersion: (request) => get("/api/version", request),
    getPrinter: (request) => get("/api/printer", request),
    getJob: (request) => get("/api/job", request),
    sendJobCommand,
  };
}
