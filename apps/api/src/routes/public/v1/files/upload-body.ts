import { Readable } from "node:stream";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { requestHeader } from "../../../../middleware/request-headers.ts";
import type { UploadBody } from "../../../../modules/files/receive-upload.ts";
import { invalidField } from "../../../../openapi/validation.ts";

/**
 * The raw body of an upload request, unread. Served by Node it is Node's own request stream (no
 * web stream in between, so the bytes go to the store at the socket's pace); in-process
 * (app.request) it is the web Request's body.
 */
export function uploadBodyOf(c: Context): UploadBody {
  const length = requestHeader(c, "content-length");
  if (length !== undefined && !/^\d{1,15}$/.test(length)) {
    throw invalidField("header", ["content-length"], "must be a whole number.");
  }
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  return {
    declaredLength: length === undefined ? null : Number(length),
    chunked: /\bchunked\b/i.test(requestHeader(c, "transfer-encoding") ?? ""),
    stream: () => {
      if (incoming && "headersDistinct" in incoming) return incoming;
      const body = c.req.raw.body;
      return body
        ? Readable.fromWeb(body as import("node:stream/web").ReadableStream)
        : Readable.from([]);
    },
  };
}

/** True for the upload routes, whose body limit is APF_MAX_FILE_MB instead of 64 KiB. */
export function isUploadRequest(method: string, path: string): boolean {
  return (
    method === "PUT" &&
    (/^\/public\/v1\/files\/upload\/[^/]+$/.test(path) ||
      /^\/api\/orgs\/[^/]+\/files\/upload\/[^/]+$/.test(path))
  );
}
