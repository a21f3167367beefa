import { parseRetryAfter } from "./backoff.ts";

/** The backend's error envelope, as far as it could be read. */
export interface ErrorEnvelope {
  code?: string;
  error?: string;
  requestId?: string;
  /** `machine_index` of a 400: the machine of the report the server refused, when one is. */
  machineIndex?: number;
}

/** What one `POST /agent/v1/reports` came to, and so what the reporter does next. */
export type SendOutcome =
  | { kind: "delivered"; status: number }
  /** 400/413/422: this report will never be accepted; drop it. */
  | { kind: "rejected"; status: number; envelope: ErrorEnvelope }
  /** 401/403: the agent token is refused; back off and re-read it. */
  | { kind: "auth"; status: number; envelope: ErrorEnvelope }
  /** Network error, timeout, 5xx or 429: back off (or wait Retry-After) and retry. */
  | { kind: "unavailable"; status?: number; message: string; retryAfterMs?: number }
  /** Another 4xx or a redirect: api_url is probably wrong; back off and retry. */
  | { kind: "misconfigured"; status: number; message: string };

/**
 * Reads `{success:false, code, error, request_id}` from an error body: as openapi-fetch hands it
 * over (parsed JSON, or the text when it is not JSON) or as text. Tolerant of any other body: a
 * proxy in front of the backend answers what it likes, whatever the document says.
 */
export function readEnvelope(body: unknown): ErrorEnvelope {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== "object" || value === null) return {};
  const fields = value as Record<string, unknown>;
  const pick = (key: string) =>
    typeof fields[key] === "string" ? (fields[key] as string) : undefined;
  const envelope: ErrorEnvelope = {};
  const code = pick("code");
  const error = pick("error");
  const requestId = pick("request_id");
  if (code) envelope.code = code;
  if (error) envelope.error = error.slice(0, 1000);
  if (requestId) envelope.requestId = requestId;
  if (Number.isInteger(fields.machine_index))
    envelope.machineIndex = fields.machine_index as number;
  return envelope;
}

/** Classifies an HTTP answer of the agent API; `body` is what {@link readEnvelope} reads. */
export function classifyAnswer(
  status: number,
  headers: Headers,
  body: unknown,
  now: number,
): SendOutcome {
  if (status >= 200 && status <= 299) return { kind: "delivered", status };
  if (status === 400 || status === 413 || status === 422) {
    return { kind: "rejected", status, envelope: readEnvelope(body) };
  }
  if (status === 401 || status === 403)
    return { kind: "auth", status, envelope: readEnvelope(body) };
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
    const { code } = readEnvelope(body);
    const message = `HTTP ${status}${code ? ` ${code}` : ""}`;
    return retryAfterMs === undefined
      ? { kind: "unavailable", status, message }
      : { kind: "unavailable", status, message, retryAfterMs };
  }
  if (status >= 300 && status <= 399) {
    const location = headers.get("location");
    const message = `backend redirected to ${location ?? "another address"}: set api_url to the final address`;
    return { kind: "misconfigured", status, message };
  }
  return {
    kind: "misconfigured",
    status,
    message: `backend answered HTTP ${status}: check api_url`,
  };
}

/** The one error line for a refused agent token; says what to do, never holds the token. */
export function tokenRefusedMessage(
  envelope: ErrorEnvelope,
  status: number,
  inlineToken: boolean,
): string {
  const code = envelope.code ?? `HTTP ${status}`;
  const where = inlineToken ? "agent_token in the config file" : "agent_token_file";
  switch (envelope.code) {
    case "TOKEN_REVOKED":
    case "TOKEN_EXPIRED":
      return `backend refused the agent token (${code}): create a new agent token in the dashboard and update ${where}`;
    case "TOKEN_INVALID":
      return `backend refused the agent token (${code}): ${where} must hold the whole apf_agent_… token shown once in the dashboard`;
    default:
      return `backend refused the agent token (${code}): check ${where}`;
  }
}
