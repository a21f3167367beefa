import type { Context } from "hono";
import { requestHeader } from "../middleware/request-headers.ts";
import { chooseCoding, type EncodedBodies } from "../services/encoded-bodies.ts";
import { JSON_UTF8 } from "./envelope.ts";

/** The 304 of a route answered by cachedJson, for its `responses`. */
export const NOT_MODIFIED_RESPONSE = {
  304: {
    description:
      "Not modified: `If-None-Match` named this answer's ETag (one per content coding); no body.",
  },
} as const;

/** Lists of entity tags in If-None-Match: `*`, or tags (weak ones compared weakly). */
export function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * A 200 JSON answer. Bytes a cache holds (the same Uint8Array for every request until the cache
 * rebuilds it) are sent in the coding the client prefers (br, gzip or as they are), compressed
 * once per cached body and coding by `bodies` (services/encoded-bodies.ts), with an ETag per coding, and a
 * 304 when the client already has them. A string is an answer made for this request alone: it is
 * sent as it is. Either way the answer says it varies by Accept-Encoding.
 */
export async function cachedJson(
  c: Context,
  body: string | Uint8Array<ArrayBuffer>,
  bodies: EncodedBodies,
  headers: Record<string, string> = {},
): Promise<Response> {
  if (typeof body === "string") {
    return c.body(body, 200, { ...headers, "content-type": JSON_UTF8, vary: "Accept-Encoding" });
  }
  const coding = chooseCoding(requestHeader(c, "accept-encoding"));
  const encoded = await bodies.encode(body, coding);
  const shared = { ...headers, vary: "Accept-Encoding", etag: encoded.etag };
  if (matchesAny(requestHeader(c, "if-none-match"), encoded.etag)) {
    return c.body(null, 304, shared);
  }
  return c.body(encoded.bytes, 200, {
    ...shared,
    "content-type": JSON_UTF8,
    "content-length": String(encoded.bytes.byteLength),
    ...(encoded.coding === "identity" ? {} : { "content-encoding": encoded.coding }),
  });
}
