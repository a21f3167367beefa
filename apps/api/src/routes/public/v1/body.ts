import type { z } from "@hono/zod-openapi";

/** Largest request body of /public/v1, in bytes (app.ts enforces it, 413 beyond). */
export const PUBLIC_MAX_BODY_BYTES = 64 * 1024;

/**
 * A required JSON request body, validated whole: a body that is not `application/json` is 415,
 * one that is not JSON or misses/mistypes a field is 400 naming the field.
 */
export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}
