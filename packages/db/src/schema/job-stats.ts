import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations.ts";

/*
 * Daily rollups of ended jobs, for the analytics reports: a window of days reads a few hundred
 * rows instead of every job that ended in it. Kept by Postgres triggers on jobs (migration
 * analytics_rollups) in the very transaction that ends, changes or deletes a job, whatever the
 * writer (ingest, the queue, the dashboard, a script, psql); what a job adds is defined once,
 * in SQL, for the triggers and for the rebuild alike. `day` is the day the job ended in the
 * organization's time zone. Changing the time zone marks the organization's rows stale
 * (organizations.job_stats_stale) and a background task regroups them, off the request path
 * (apf_regroup_job_stats, apps/api/src/modules/analytics/regroup.ts); meanwhile the jobs' changes
 * wait in job_stats_backlog. Rows are per organization and serialised per organization by an
 * advisory lock, so concurrent writers never deadlock on them.
 *
 * printer_id, product_sku_id and print_file_id carry no foreign key on purpose: when a printer,
 * SKU or file is deleted, the jobs' own "set null" moves their figures (through the triggers),
 * and a cascade here would race with that.
 */

/** Per day and what was printed: counts, units and print time of the organization's ended jobs. */
export const jobDayTotals = pgTable(
  "job_day_totals",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    productSkuId: uuid("product_sku_id"),
    printFileId: uuid("print_file_id"),
    /** The job's own material (material_type, else filament_type); the file's wins when read. */
    jobMaterial: text("job_material"),
    completed: integer("completed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    cancelled: integer("cancelled").notNull().default(0),
    /** number_of_units of completed jobs. */
    units: integer("units").notNull().default(0),
    /** Seconds completed jobs printed: start to end, else the reported print time. */
    printSeconds: doublePrecision("print_seconds").notNull().default(0),
  },
  (t) => [
    unique("job_day_totals_key")
      .on(t.organizationId, t.day, t.productSkuId, t.printFileId, t.jobMaterial)
      .nullsNotDistinct(),
  ],
);

/**
 * Per printer and day: its ended jobs and the time it printed on that day, and the running
 * totals of both up to and including that day. A window's figures for every printer are two
 * rows per printer (the totals at its last day, less those before its first), however long
 * the window: a report over a thousand printers reads two thousand index entries, not a row per
 * printer and day.
 */
export const printerDayStats = pgTable(
  "printer_day_stats",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    printerId: uuid("printer_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    /** Completed, failed and cancelled jobs that ended on the day. */
    ended: integer("ended").notNull().default(0),
    completed: integer("completed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    units: integer("units").notNull().default(0),
    printSeconds: doublePrecision("print_seconds").notNull().default(0),
    /** Seconds of the day the printer spent on jobs that have ended (split at local midnight). */
    busySeconds: doublePrecision("busy_seconds").notNull().default(0),
    /** The same figures summed over every day of the printer up to and including this one. */
    cumEnded: integer("cum_ended").notNull().default(0),
    cumCompleted: integer("cum_completed").notNull().default(0),
    cumFailed: integer("cum_failed").notNull().default(0),
    cumBusySeconds: doublePrecision("cum_busy_seconds").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.printerId, t.day] })],
);

/**
 * While an organization's rollups are stale (its time zone changed, the regrouping has not
 * finished), the triggers write here instead of the rollups: each changed job's old figures
 * (sign -1) and new ones (sign 1), as the jobs row (jsonb, so the jobs table stays free to
 * change), with the transaction that wrote them. The regrouping counts the jobs as its snapshot
 * saw them, then adds exactly the entries of transactions that snapshot did not see, and empties
 * the organization's backlog.
 */
export const jobStatsBacklog = pgTable(
  "job_stats_backlog",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** pg_current_xact_id() of the writing transaction (an xid8 as a number). */
    xact: bigint("xact", { mode: "bigint" }).notNull(),
    /** -1: the job's figures before the change; 1: after it. */
    sign: smallint("sign").notNull(),
    /** The jobs row (to_jsonb), read back with jsonb_populate_record(null::jobs, job). */
    job: jsonb("job").notNull(),
  },
  (t) => [index("job_stats_backlog_org_idx").on(t.organizationId)],
);
