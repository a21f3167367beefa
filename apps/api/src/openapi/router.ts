import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

const TARGET_NOUN: Record<string, string> = {
  query: "query parameter",
  param: "path parameter",
  json: "body field",
  header: "header",
  form: "form field",
  cookie: "cookie",
};

/** `limit` / `machines.3.url`: the dotted path of a zod issue ("" for the value itself). */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The sentence of an INVALID_REQUEST for a zod failure: names the parameter and what is allowed. */
export function describeValidationError(target: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid ${TARGET_NOUN[target] ?? target}.`;
  const where = dottedPath(issue.path);
  const noun = TARGET_NOUN[target] ?? target;
  if (!where) return target === "json" ? `Invalid request body: ${issue.message}` : issue.message;
  return `Invalid ${noun} "${where}": ${issue.message}`;
}

/** Every validation failure becomes 400 INVALID_REQUEST through onError. */
export function validationHook(result: {
  success: boolean;
  error?: z.ZodError;
  target: string;
}): void {
  if (!result.success && result.error) {
    throw new ApiError("INVALID_REQUEST", describeValidationError(result.target, result.error));
  }
}

/**
 * The router of every surface (/public/v1, /api, /agent/v1) and of their sub-routers: routes
 * are `createRoute` + handler, validated through validationHook. `E` is the environment its
 * handlers see (AppEnv, or one that middleware extends, like the dashboard's OrgEnv).
 */
export function createRouter<E extends Env = AppEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: (result) => validationHook(result) });
}
