import { z } from "@hono/zod-openapi";
import { text } from "../../../openapi/kit.ts";

/** A query parameter given twice arrives as an array; say so instead of a type error. */
const once = (message: string) => (issue: { input?: unknown }) =>
  Array.isArray(issue.input) ? "must be given once" : message;

function wholeNumberSchema(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: once(message) })
    .regex(/^\d{1,12}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** An optional whole-number query parameter in [min, max]; the message states the bounds. */
export function wholeNumber(min: number, max: number, description: string) {
  return wholeNumberSchema(min, max)
    .optional()
    .openapi({ type: "integer", minimum: min, maximum: max, description });
}

/** A whole-number query parameter in [min, max] with a default. */
export function wholeNumberOr(fallback: number, min: number, max: number, description: string) {
  return wholeNumberSchema(min, max)
    .default(fallback)
    .openapi({ type: "integer", minimum: min, maximum: max, default: fallback, description });
}

/** `true` or `false`, nothing else. */
export function booleanFlag(description: string) {
  return z
    .enum(["true", "false"], { error: once('must be "true" or "false"') })
    .transform((v) => v === "true")
    .optional()
    .openapi({ description });
}

/** One of a fixed list; the message lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  description: string,
) {
  return z
    .enum(values, { error: once(`must be one of: ${values.join(", ")}`) })
    .optional()
    .openapi({ description });
}

/** An exact-match filter: free text of 1 to `max` characters, taken as sent (not trimmed). */
export function filterText(max: number, description: string) {
  return text(max, { trim: false }).optional().openapi({ description });
}

/** Largest page of the lists whose paging is opt-in (printers, inventory, filament). */
export const MAX_OPT_IN_LIMIT = 500;
/** Bound of offset, far beyond any real list, so the number stays a safe integer. */
export const MAX_OFFSET = 1_000_000_000;

/** `limit` (1–500) and `offset` (≥ 0), both optional: paging is opt-in. */
export const optInPaging = {
  limit: wholeNumber(
    1,
    MAX_OPT_IN_LIMIT,
    `Page size, 1 to ${MAX_OPT_IN_LIMIT}. Paging is opt-in: with \`limit\` or \`offset\`, the answer has \`meta\`; without, every item is returned.`,
  ),
  offset: wholeNumber(
    0,
    MAX_OFFSET,
    `Items to skip (default 0). Given alone, the page size is ${MAX_OPT_IN_LIMIT}.`,
  ),
};

/** The page an opt-in-paging list asked for, or undefined for "everything". */
export function optInPage(query: { limit?: number; offset?: number }) {
  if (query.limit === undefined && query.offset === undefined) return undefined;
  return { limit: query.limit ?? MAX_OPT_IN_LIMIT, offset: query.offset ?? 0 };
}
