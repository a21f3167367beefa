import { parseToken, type TokenKind, type TokenRejection } from "@apf/auth";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { recordFailedAuth } from "./rate-limit.ts";
import { requestHeader } from "./request-headers.ts";

/** Query parameters some clients put keys in; URLs end up in logs, so these are refused. */
const QUERY_KEY_PARAMS = ["apikey", "api_key", "key"];

const BEARER = /^bearer\s+(.*)$/is;

/**
 * The credential of an `Authorization: Bearer <credential>` value, or null when the value is
 * not a Bearer credential. The scheme is case-insensitive, whitespace follows it, and surrounding
 * whitespace is ignored. The one Bearer parser of every surface.
 */
export function parseBearer(header: string): string | null {
  return BEARER.exec(header.trim())?.[1]?.trim() || null;
}

/**
 * The credential of `Authorization: Bearer <credential>`, or an UNAUTHORIZED ApiError.
 * Pure: reads the request only. The scheme is case-insensitive, one or more spaces follow it and
 * surrounding whitespace is ignored. A key in the query string or in `X-Api-Key` is refused with a
 * message that says where the key goes; the query check comes first so a key pasted into a URL is
 * flagged even when the header is also sent.
 */
export function bearerCredential<E extends AppEnv>(c: Context<E>, noun = "API key"): string {
  const usage = `send it in the Authorization header: "Authorization: Bearer <${noun}>"`;
  const url = c.req.url;
  const params = url.includes("?") ? new URL(url).searchParams.keys() : [];
  for (const name of params) {
    if (QUERY_KEY_PARAMS.includes(name.toLowerCase())) {
      throw new ApiError(
        "UNAUTHORIZED",
        `A credential in the query string ("${name}") is never accepted, because URLs end up in logs; ${usage}.`,
      );
    }
  }
  const header = requestHeader(c, "authorization")?.trim();
  if (!header) {
    if (requestHeader(c, "x-api-key") !== undefined) {
      throw new ApiError(
        "UNAUTHORIZED",
        `X-Api-Key is not accepted here; ${usage} (the Bearer scheme).`,
      );
    }
    throw new ApiError("UNAUTHORIZED", `Missing credentials: ${usage}.`);
  }
  const credential = parseBearer(header);
  if (!credential) {
    throw new ApiError("UNAUTHORIZED", `Not a Bearer credential: ${usage}.`);
  }
  return credential;
}

const REJECTION_DETAIL: Record<TokenRejection, string> = {
  prefix: "it does not start with the expected prefix",
  length: "it has the wrong length",
  alphabet: "it may hold only lowercase hex after the prefix",
  checksum: "its checksum does not match (a typo?)",
};

/** What a verifier found for a well-formed token's hash. */
export type BearerVerdict<P> =
  | { ok: true; principal: P }
  | { ok: false; code: "TOKEN_INVALID" | "TOKEN_REVOKED" | "TOKEN_EXPIRED"; message: string };

export interface VerifyBearerOptions<P> {
  kind: TokenKind;
  /** How error messages name the credential, e.g. "API key" or "agent token". */
  noun: string;
  /** Looks the token up by its SHA-256 hash; runs only for a well-formed token. A throw is 503. */
  verify(hash: string): Promise<BearerVerdict<P>>;
}

/**
 * The shared authentication steps of /public/v1 and /agent/v1, in the contract's order:
 * UNAUTHORIZED → TOKEN_INVALID for a malformed token (before any database or Redis call) →
 * the caller's lookup by hash → TOKEN_INVALID / TOKEN_REVOKED / TOKEN_EXPIRED. Every failure
 * except a malformed token is counted against the client address; past the limit the answer
 * is RATE_LIMITED. A successful verification is never slowed or refused by that count.
 */
export async function verifyBearerToken<P, E extends AppEnv = AppEnv>(
  c: Context<E>,
  options: VerifyBearerOptions<P>,
): Promise<P> {
  let credential: string;
  try {
    credential = bearerCredential(c, options.noun);
  } catch (error) {
    await recordFailedAuth(c);
    throw error;
  }
  const parsed = parseToken(credential, options.kind);
  if (!parsed.ok) {
    throw new ApiError(
      "TOKEN_INVALID",
      `The ${options.noun} is malformed: ${REJECTION_DETAIL[parsed.reason]}.`,
    );
  }
  let verdict: BearerVerdict<P>;
  try {
    verdict = await options.verify(parsed.hash);
  } catch (error) {
    // The database did not answer: the caller may retry, and nothing internal is shown.
    c.get("services").logger.error({ err: error }, `${options.noun} lookup failed`);
    throw new ApiError(
      "UNAVAILABLE",
      `The ${options.noun} cannot be checked right now; retry shortly.`,
      {
        "Retry-After": "5",
      },
    );
  }
  if (verdict.ok) return verdict.principal;
  await recordFailedAuth(c);
  throw new ApiError(verdict.code, verdict.message);
}
