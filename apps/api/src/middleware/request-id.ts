import { randomUUID } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { requestHeader } from "./request-headers.ts";
import { setResponseHeader } from "./response-headers.ts";

/** An incoming id is echoed only when it is short and plain, so logs cannot be forged through it. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sets c.get("requestId") and the X-Request-Id response header on every response. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = requestHeader(c, "x-request-id");
  const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  c.set("requestId", id);
  setResponseHeader(c, "X-Request-Id", id);
  await next();
});
