import createClient, { type Client } from "openapi-fetch";
import { describeFailure } from "../octoprint.ts";
import type { SecretProvider } from "../secret-provider.ts";
import type { components, paths } from "./agent-api.generated.ts";

export type { components, paths };

/** Where the agent API lives under `api_url` (its document's `servers[0].url`). */
export const AGENT_API_PATH = "/agent/v1";

/** The agent's client of /agent/v1: openapi-fetch typed by the generated `paths`. */
export type AgentApi = Client<paths>;

/** Body of `POST /agent/v1/reports`, as the backend accepts it. */
export type ReportRequest = paths["/reports"]["post"]["requestBody"]["content"]["application/json"];
/** A command as the long poll hands it over (not checked on arrival: read what you use). */
export type AgentCommand = components["schemas"]["AgentCommand"];
/** Body of `POST /agent/v1/commands/{id}/result`. */
export type CommandResultRequest =
  paths["/commands/{id}/result"]["post"]["requestBody"]["content"]["application/json"];

/** Options of {@link createAgentApi}. */
export interface AgentApiOptions {
  /** Backend base URL (may carry a path prefix); calls go to `{apiUrl}/agent/v1/…`. */
  apiUrl: string;
  agentToken: SecretProvider;
  userAgent: string;
  fetch?: typeof globalThis.fetch;
}

/** `{apiUrl}/agent/v1`, without a doubled slash. */
export function agentApiBase(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, "")}${AGENT_API_PATH}`;
}

/**
 * Builds the client. Redirects are never followed (a redirect means api_url is wrong, and the
 * token must not travel to another address); the token is read on every request, so a re-read
 * token file is used at once.
 */
export function createAgentApi(options: AgentApiOptions): AgentApi {
  const api = createClient<paths>({
    baseUrl: agentApiBase(options.apiUrl),
    headers: { accept: "application/json", "user-agent": options.userAgent },
    redirect: "manual",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  api.use({
    onRequest: ({ request }) => {
      request.headers.set("authorization", `Bearer ${options.agentToken.get()}`);
    },
  });
  return api;
}

/** Why a call got no usable HTTP answer. */
export type NoAnswer = {
  ok: false;
  /** `not_json`: a 2xx whose body is not JSON, where JSON was expected. */
  kind: "unreachable" | "timeout" | "not_json";
  message: string;
};

/**
 * Runs one call of the client with a timeout covering headers and body, also ended by `signal`;
 * never throws: a network error, a timeout or an abort is a {@link NoAnswer} worded as the
 * OctoPrint clients word theirs.
 */
export async function within<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<{ ok: true; answer: T } | NoAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return { ok: true, answer: await call(signal ? AbortSignal.any([timeout, signal]) : timeout) };
  } catch (error) {
    // openapi-fetch parses a 2xx body as JSON (parseAs "json") and throws when it is not.
    if (error instanceof SyntaxError) {
      return { ok: false, kind: "not_json", message: "answer is not JSON" };
    }
    return describeFailure(error, timeoutMs);
  }
}
