import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { InvalidJSONValue, JSONParsed, JSONValue } from "hono/utils/types";

/** The Content-Type of every JSON answer: the contract says JSON is UTF-8, and says so. */
export const JSON_UTF8 = "application/json; charset=utf-8";

/**
 * A JSON answer of any surface, typed as `c.json`'s (so a route's declared responses still check
 * it), with `Content-Type: application/json; charset=utf-8`. The header is set as the answer is
 * made, not rewritten afterwards: that would build the answer's web Headers, which
 * @hono/node-server otherwise never needs. Route handlers answer JSON only through this.
 */
export function json<
  T extends JSONValue | object | InvalidJSONValue,
  S extends ContentfulStatusCode = 200,
>(
  c: Pick<Context, "json">,
  body: T,
  status?: S,
  headers: Record<string, string> = {},
): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  return c.json(body, (status ?? 200) as S, { ...headers, "Content-Type": JSON_UTF8 });
}
