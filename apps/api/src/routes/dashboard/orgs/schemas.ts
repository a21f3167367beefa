import { z } from "@hono/zod-openapi";
import { isTimeZone } from "../../../modules/analytics/window.ts";
import { iso, timestamp } from "../../../openapi/kit.ts";

export const organizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  allowed_origins: z.array(z.string()),
  time_zone: z.string().openapi({
    description: "IANA time zone (e.g. Europe/Berlin) in which analytics count days.",
  }),
  auto_start: z.boolean().openapi({
    description: "The queue starts jobs on ready printers by itself (off by default).",
  }),
  start_spacing_seconds: z.int().min(0).max(3600).openapi({
    description:
      "Seconds between two automatic starts, so a farm's heaters never switch on at once.",
  }),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export function toOrganization(org: {
  id: string;
  name: string;
  allowedOrigins: string[];
  timeZone: string;
  autoStart: boolean;
  startSpacingSeconds: number;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    id: org.id,
    name: org.name,
    allowed_origins: org.allowedOrigins,
    time_zone: org.timeZone,
    auto_start: org.autoStart,
    start_spacing_seconds: org.startSpacingSeconds,
    created_at: iso(org.createdAt),
    updated_at: iso(org.updatedAt),
  };
}

/** Why `entry` is not an exact origin, or null when it is one. */
export function originProblem(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin; write scheme://host[:port], e.g. https://app.example.com`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `"${entry}" is not an http(s) origin`;
  }
  // CORS matches origins exactly: a pattern would silently match nothing, so it is refused.
  if (url.hostname.includes("*")) {
    return `"${entry}" is a pattern; wildcard hosts cannot be honoured: list each exact origin (or "*" alone for any)`;
  }
  if (url.origin !== entry) {
    return `"${entry}" is not an exact origin (scheme://host[:port], lower case, no path, no trailing slash); did you mean "${url.origin}"?`;
  }
  return null;
}

/** Exact origins allowed to call /public/v1 from a browser, or ["*"]; duplicates are dropped. */
export const allowedOriginsSchema = z
  .array(z.string().max(255, "must be at most 255 characters"))
  .max(50, "must list at most 50 origins")
  .superRefine((entries, ctx) => {
    entries.forEach((entry, i) => {
      if (entry === "*") {
        if (entries.length > 1) {
          ctx.addIssue({ code: "custom", path: [i], message: '"*" must be the only entry' });
        }
        return;
      }
      const problem = originProblem(entry);
      if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
    });
  })
  .transform((entries) => [...new Set(entries)])
  .openapi({ example: ["https://app.example.com"] });

/** An IANA time zone name this runtime knows (Intl), e.g. `America/New_York` or `UTC`. */
export const timeZoneSchema = z
  .string()
  .max(64, "must be an IANA time zone name such as Europe/Berlin")
  .refine(isTimeZone, "must be an IANA time zone name such as Europe/Berlin")
  .openapi({ example: "Europe/Berlin" });
