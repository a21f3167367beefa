import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { ApiError } from "../errors.ts";
import { requestHeader } from "./request-headers.ts";

/**
 * Refuses a request body larger than `maxSize` bytes with `tooLarge()`. A declared
 * Content-Length is judged before anything is read (GET and HEAD included); only a chunked body
 * is counted while it streams (hono/body-limit). Unlike hono/body-limit alone it never touches
 * the body of a request that declares its length, which keeps @hono/node-server's fast path (no
 * web Request built) for GETs and for reports read with c.req.json().
 */
export function limitBody(
  maxSize: number,
  tooLarge: () => ApiError,
  /** Routes with a limit of their own (the file uploads), left untouched here. */
  exempt: (method: string, path: string) => boolean = () => false,
) {
  const streaming = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge();
    },
  });
  return createMiddleware(async (c, next) => {
    if (exempt(c.req.method, c.req.path)) return next();
    const chunked = requestHeader(c, "transfer-encoding") !== undefined;
    const length = requestHeader(c, "content-length");
    if (!chunked) {
      if (length !== undefined && Number(length) > maxSize) throw tooLarge();
      const method = c.req.method;
      if (length !== undefined || method === "GET" || method === "HEAD") return next();
    }
    return streaming(c, next);
  });
}
