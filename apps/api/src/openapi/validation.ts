import type { z } from "zod";
import type { FieldIssue } from "../domain-error.ts";
import { ApiError } from "../errors.ts";

/** Where a value of the request is, as an error message names it. */
export type RequestTarget = "query" | "param" | "json" | "header" | "form" | "cookie";

const TARGET_NOUN: Record<string, string> = {
  query: "query parameter",
  param: "path parameter",
  json: "body field",
  header: "header",
  form: "form field",
  cookie: "cookie",
};

/** Most field issues one answer lists: a huge invalid body must not make a huge answer. */
export const MAX_FIELD_ISSUES = 100;

/** `limit` / `machines.3.url`: the dotted path of a zod issue ("" for the value itself). */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** A zod issue's path as keys and indexes (a symbol key, which JSON cannot hold, as its text). */
function issuePath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === "symbol" ? String(key) : key));
}

/** `details` of an INVALID_REQUEST: each zod issue's path and message (at most MAX_FIELD_ISSUES). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues
    .slice(0, MAX_FIELD_ISSUES)
    .map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
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

/** Every validation failure becomes 400 INVALID_REQUEST through onError, with its `details`. */
export function validationHook(result: {
  success: boolean;
  error?: z.ZodError;
  target: string;
}): void {
  if (!result.success && result.error) {
    throw new ApiError(
      "INVALID_REQUEST",
      describeValidationError(result.target, result.error),
      {},
      { details: fieldIssues(result.error.issues) },
    );
  }
}

/**
 * 400 INVALID_REQUEST for one field a route found wrong after the schema accepted the request
 * (a printer of another organization, a date in the past): the same sentence and `details` as a
 * schema's complaint about that field.
 */
export function invalidField(
  target: RequestTarget,
  path: (string | number)[],
  message: string,
): ApiError {
  return new ApiError(
    "INVALID_REQUEST",
    `Invalid ${TARGET_NOUN[target]} "${dottedPath(path)}": ${message}`,
    {},
    { details: [{ path, message }] },
  );
}
