import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

/** Control characters (C0, DEL, C1): they break logs and terminals; Postgres text cannot hold U+0000. */
export const CONTROL_CHARACTERS = /\p{Cc}/u;
export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

const TARGET_NOUN: Record<string, string> = {
  query: "query parameter",
  param: "path parameter",
  json: "body field",
  header: "header",
  form: "form field",
  cookie: "cookie",
};

/** `limit` / `machines.3.url`, or the target itself for a top-level problem. */
function describePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The sentence of an INVALID_REQUEST for a zod failure: names the parameter and what is allowed. */
export function describeValidationError(target: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid ${TARGET_NOUN[target] ?? target}.`;
  const where = describePath(issue.path);
  const noun = TARGET_NOUN[target] ?? target;
  if (!where) return target === "json" ? `Invalid request body: ${issue.message}` : issue.message;
  return `Invalid ${noun} "${where}": ${issue.message}`;
}

/** zod-openapi hook: every validation failure becomes 400 INVALID_REQUEST through onError. */
export function validationHook(
  result: { success: boolean; error?: z.ZodError; target: string },
  _c: Context<AppEnv>,
): void {
  if (!result.success && result.error) {
    throw new ApiError("INVALID_REQUEST", describeValidationError(result.target, result.error));
  }
}

/** A router whose routes validate through validationHook. Use it for every sub-router. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}
