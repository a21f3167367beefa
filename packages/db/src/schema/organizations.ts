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
    /**
     * The analytics rollups (job_day_totals, printer_day_stats) are not in time_zone yet: it
     * changed and the background regrouping (apf_regroup_job_stats, migration
     * job_stats_regroup_in_background) has not caught up. Reports refuse to read them meanwhile.
     */
    jobStatsStale: boolean("job_stats_stale").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    /** The queue's sweep: the few organizations that let the queue start jobs. */
    index("organizations_auto_start_idx").on(t.id).where(sql`${t.autoStart}`),
    /** The regrouping's sweep: the few organizations whose rollups wait for a new time zone. */
    index("organizations_job_stats_stale_idx").on(t.id).where(sql`${t.jobStatsStale}`),
  ],
);
