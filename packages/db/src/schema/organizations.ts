import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, instant, updatedAt } from "./columns.ts";

export const organizations = pgTable(
  "organizations",
  {
    id: id(),
    name: text("name").notNull(),
    /** Exact origins allowed to call /public/v1 from a browser, or ["*"]. Empty by default. */
    allowedOrigins: text("allowed_origins").array().notNull().default([]),
    /** The queue starts jobs on ready printers by itself. */
    autoStart: boolean("auto_start").notNull().default(false),
    /** Seconds between two automatic starts in this organization (0–3600). */
    startSpacingSeconds: integer("start_spacing_seconds").notNull().default(0),
    /** When the dispatcher last started a job here (for start_spacing_seconds). */
    lastAutoStartAt: instant("last_auto_start_at"),
    /** IANA time zone for daily figures. */
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    /** The queue's sweep: the few organizations that let the queue start jobs. */
    index("organizations_auto_start_idx").on(t.id).where(sql`${t.autoStart}`),
  ],
);
