import { codePoints } from "@apf/auth";
import { z } from "@hono/zod-openapi";
/** Control characters (C0, DEL, C1): they break logs and terminals; Postgres text cannot hold U+0000. */
export const CONTROL_CHARACTERS = /\p{Cc}/u;
export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be one of our ids (a UUID, any case); anything else cannot exist. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** An ISO-8601 UTC timestamp, as every surface writes it. */
export const timestamp = () => z.iso.datetime().openapi({ example: "2026-11-23T10:00:00.000Z" });

/** Date → ISO-8601 UTC string, keeping null. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Free text: 1 to `max` code points of any script, no control characters or lone surrogates.
 * Trimmed unless `trim: false` (query filters that match exactly). A query parameter given twice
 * (an array) is told so.
 */
export function text(max: number, options: { trim?: boolean } = {}) {
  const message = `must be 1 to ${max} characters`;
  const base = z.string({
    error: (issue) => (Array.isArray(issue.input) ? "must be given once" : message),
  });
  return (options.trim === false ? base : base.trim())
    .refine((v) => codePoints(v) >= 1 && codePoints(v) <= max, message)
    .refine(
      (v) => !CONTROL_CHARACTERS.test(v) && !LONE_SURROGATE.test(v),
      CONTROL_CHARACTERS_MESSAGE,
    )
    .openapi({ minLength: 1, maxLength: max });
}

/** Optional text a PATCH may clear with null. */
export function clearableText(max: number) {
  return text(max).nullable().optional();
}

/** An email address, trimmed and lower-cased. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be an email address" }))
  .openapi({ format: "email", example: "owner@example.com" });

/** A colour as `#rrggbb`. */
export const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #ff8800")
  .openapi({ example: "#ff8800" });

/** An http(s) URL. */
export const httpUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

/** A non-negative decimal with at most `scale` decimals, as a number or a string; kept as a string. */
export function decimal(options: { maxIntegerDigits: number; scale: number; min?: number }) {
  const pattern = new RegExp(`^\\d{1,${options.maxIntegerDigits}}(\\.\\d{1,${options.scale}})?$`);
  return z
    .union([z.number(), z.string()])
    .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
    .refine(
      (v) => pattern.test(v) && Number(v) >= (options.min ?? 0),
      `must be a number ≥ ${options.min ?? 0} with at most ${options.scale} decimals`,
    )
    .openapi({ type: "string", example: "12.50" });
}

/** Refuses a PATCH body with nothing in it. */
export function nonEmptyPatch<T extends z.ZodObject>(schema: T) {
  return schema.refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "send at least one field to change",
  });
}
