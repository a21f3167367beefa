CREATE TABLE "job_day_totals" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"product_sku_id" uuid,
	"print_file_id" uuid,
	"job_material" text,
	"completed" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"cancelled" integer DEFAULT 0 NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"print_seconds" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "job_day_totals_key" UNIQUE NULLS NOT DISTINCT("organization_id","day","product_sku_id","print_file_id","job_material")
);
--> statement-breakpoint
CREATE TABLE "printer_day_stats" (
	"organization_id" uuid NOT NULL,
	"printer_id" uuid NOT NULL,
	"day" date NOT NULL,
	"ended" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"print_seconds" double precision DEFAULT 0 NOT NULL,
	"busy_seconds" double precision DEFAULT 0 NOT NULL,
	"cum_ended" integer DEFAULT 0 NOT NULL,
	"cum_completed" integer DEFAULT 0 NOT NULL,
	"cum_failed" integer DEFAULT 0 NOT NULL,
	"cum_busy_seconds" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "printer_day_stats_organization_id_printer_id_day_pk" PRIMARY KEY("organization_id","printer_id","day")
);
--> statement-breakpoint
ALTER TABLE "job_day_totals" ADD CONSTRAINT "job_day_totals_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "printer_day_stats" ADD CONSTRAINT "printer_day_stats_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_org_failed_idx" ON "jobs" USING btree ("organization_id","time_completed") WHERE "jobs"."status" = 'failed';--> statement-breakpoint
-- What one ended job adds to the organization's day (job_day_totals): one row for a completed,
-- failed or cancelled job, on the day it ended in the time zone `tz`; none for any other job.
-- The one definition, read by the triggers below and by apf_rebuild_job_stats alike.
CREATE FUNCTION apf_job_day_total(j jobs, tz text)
RETURNS TABLE (day date, completed int, failed int, cancelled int, units int, print_seconds float8)
LANGUAGE sql STABLE AS $$
  SELECT (j.time_completed AT TIME ZONE tz)::date,
    (j.status = 'completed')::int,
    (j.status = 'failed')::int,
    (j.status = 'cancelled')::int,
    CASE WHEN j.status = 'completed' THEN j.number_of_units ELSE 0 END,
    CASE WHEN j.status = 'completed'
      THEN coalesce(extract(epoch FROM j.time_completed - j.time_started)::float8,
        j.actual_print_time_minutes * 60.0, 0)
      ELSE 0 END
  WHERE j.time_completed IS NOT NULL AND j.status IN ('completed', 'failed', 'cancelled')
$$;
--> statement-breakpoint
-- What one job with an end adds to its printer's days (printer_day_stats), as rows to be summed
-- by day: its counts on the day it ended, and the time it printed split over the local days it
-- covers (start to end; without a start, the reported print time before the end; at most the
-- 400 days before its end). Any status counts printing time, as a job's time on the printer.
CREATE FUNCTION apf_job_printer_days(j jobs, tz text)
RETURNS TABLE (day date, ended int, completed int, failed int, units int, print_seconds float8,
  busy_seconds float8)
LANGUAGE sql STABLE AS $$
  SELECT t.day, t.completed + t.failed + t.cancelled, t.completed, t.failed, t.units,
    t.print_seconds, 0::float8
  FROM apf_job_day_total(j, tz) t
  UNION ALL
  SELECT d.day::date, 0, 0, 0, 0, 0::float8,
    greatest(0, extract(epoch FROM
      least(j.time_completed, (d.day::date + 1)::timestamp AT TIME ZONE tz)
      - greatest(s.started, d.day::date::timestamp AT TIME ZONE tz)))::float8
  FROM (SELECT coalesce(j.time_started,
      j.time_completed - make_interval(mins => j.actual_print_time_minutes)) AS started) s,
    generate_series(
      greatest((s.started AT TIME ZONE tz)::date, (j.time_completed AT TIME ZONE tz)::date - 400),
      (j.time_completed AT TIME ZONE tz)::date, interval '1 day') AS d(day)
  WHERE j.time_completed IS NOT NULL AND s.started IS NOT NULL
$$;
--> statement-breakpoint
-- One lock per organization serialises every change of its rollup rows (a job's end, a rebuild),
-- so concurrent writers never deadlock on them and a rebuild never misses a job. Job ends are
-- rare beside reports, and the lock is taken only when one happens.
CREATE FUNCTION apf_job_stats_lock(org uuid) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('apf_job_stats:' || org::text, 0))
$$;
--> statement-breakpoint
-- Adds (sign 1) or takes away (sign -1) one job's figures, in the organization's time zone.
CREATE FUNCTION apf_job_stats_add(j jobs, sign int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
  d record;
BEGIN
  IF j.time_completed IS NULL THEN
    RETURN;
  END IF;
  PERFORM apf_job_stats_lock(j.organization_id);
  SELECT o.time_zone INTO tz FROM organizations o WHERE o.id = j.organization_id;
  IF tz IS NULL THEN
    RETURN; -- the organization is being deleted, its rows with it
  END IF;
  INSERT INTO job_day_totals AS r (organization_id, day, product_sku_id, print_file_id,
    job_material, completed, failed, cancelled, units, print_seconds)
  SELECT j.organization_id, t.day, j.product_sku_id, j.print_file_id,
    coalesce(j.material_type, j.filament_type), sign * t.completed, sign * t.failed,
    sign * t.cancelled, sign * t.units, sign * t.print_seconds
  FROM apf_job_day_total(j, tz) t
  ON CONFLICT (organization_id, day, product_sku_id, print_file_id, job_material) DO UPDATE SET
    completed = r.completed + excluded.completed,
    failed = r.failed + excluded.failed,
    cancelled = r.cancelled + excluded.cancelled,
    units = r.units + excluded.units,
    print_seconds = r.print_seconds + excluded.print_seconds;
  IF j.printer_id IS NOT NULL THEN
    FOR d IN
      SELECT p.day, sum(p.ended)::int AS ended, sum(p.completed)::int AS completed,
        sum(p.failed)::int AS failed, sum(p.units)::int AS units,
        sum(p.print_seconds)::float8 AS print_seconds, sum(p.busy_seconds)::float8 AS busy_seconds
      FROM apf_job_printer_days(j, tz) p
      GROUP BY p.day
    LOOP
      -- The day's row, its running totals carried on from the printer's day before it; then the
      -- running totals of its later days (none, unless the job ended before another one did).
      INSERT INTO printer_day_stats AS r (organization_id, printer_id, day, ended, completed,
        failed, units, print_seconds, busy_seconds, cum_ended, cum_completed, cum_failed,
        cum_busy_seconds)
      SELECT j.organization_id, j.printer_id, d.day, sign * d.ended, sign * d.completed,
        sign * d.failed, sign * d.units, sign * d.print_seconds, sign * d.busy_seconds,
        coalesce(prev.cum_ended, 0) + sign * d.ended,
        coalesce(prev.cum_completed, 0) + sign * d.completed,
        coalesce(prev.cum_failed, 0) + sign * d.failed,
        coalesce(prev.cum_busy_seconds, 0) + sign * d.busy_seconds
      FROM (SELECT 1) one
        LEFT JOIN LATERAL (
          SELECT q.cum_ended, q.cum_completed, q.cum_failed, q.cum_busy_seconds
          FROM printer_day_stats q
          WHERE q.organization_id = j.organization_id AND q.printer_id = j.printer_id
            AND q.day < d.day
          ORDER BY q.day DESC LIMIT 1
        ) prev ON true
      ON CONFLICT (organization_id, printer_id, day) DO UPDATE SET
        ended = r.ended + excluded.ended,
        completed = r.completed + excluded.completed,
        failed = r.failed + excluded.failed,
        units = r.units + excluded.units,
        print_seconds = r.print_seconds + excluded.print_seconds,
        busy_seconds = r.busy_seconds + excluded.busy_seconds,
        cum_ended = r.cum_ended + excluded.ended,
        cum_completed = r.cum_completed + excluded.completed,
        cum_failed = r.cum_failed + excluded.failed,
        cum_busy_seconds = r.cum_busy_seconds + excluded.busy_seconds;
      UPDATE printer_day_stats SET
        cum_ended = cum_ended + sign * d.ended,
        cum_completed = cum_completed + sign * d.completed,
        cum_failed = cum_failed + sign * d.failed,
        cum_busy_seconds = cum_busy_seconds + sign * d.busy_seconds
      WHERE organization_id = j.organization_id AND printer_id = j.printer_id AND day > d.day;
    END LOOP;
  END IF;
END
$$;
--> statement-breakpoint
-- The old row's figures go, the new row's come: in the transaction that changes the job.
CREATE FUNCTION apf_job_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM apf_job_stats_add(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM apf_job_stats_add(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only jobs with an end count; a report's progress updates of running jobs never call anything.
CREATE TRIGGER jobs_stats_insert AFTER INSERT ON jobs
  FOR EACH ROW WHEN (NEW.time_completed IS NOT NULL)
  EXECUTE FUNCTION apf_job_stats_trigger();
--> statement-breakpoint
CREATE TRIGGER jobs_stats_update AFTER UPDATE ON jobs
  FOR EACH ROW WHEN ((OLD.time_completed IS NOT NULL OR NEW.time_completed IS NOT NULL)
    AND (OLD.status, OLD.time_completed, OLD.time_started, OLD.actual_print_time_minutes,
      OLD.printer_id, OLD.product_sku_id, OLD.print_file_id, OLD.material_type,
      OLD.filament_type, OLD.number_of_units, OLD.organization_id)
    IS DISTINCT FROM (NEW.status, NEW.time_completed, NEW.time_started,
      NEW.actual_print_time_minutes, NEW.printer_id, NEW.product_sku_id, NEW.print_file_id,
      NEW.material_type, NEW.filament_type, NEW.number_of_units, NEW.organization_id))
  EXECUTE FUNCTION apf_job_stats_trigger();
--> statement-breakpoint
CREATE TRIGGER jobs_stats_delete AFTER DELETE ON jobs
  FOR EACH ROW WHEN (OLD.time_completed IS NOT NULL)
  EXECUTE FUNCTION apf_job_stats_trigger();
--> statement-breakpoint
-- An organization's rollup rows again, from its jobs, in its time zone now. One pass over its
-- jobs per table; memory enough that a million jobs' days are summed without spilling to disk,
-- and no JIT (its compile time is most of a small organization's rebuild).
CREATE FUNCTION apf_rebuild_job_stats(org uuid) RETURNS void LANGUAGE plpgsql
SET work_mem = '128MB' SET jit = off AS $$
DECLARE
  tz text;
BEGIN
  PERFORM apf_job_stats_lock(org);
  DELETE FROM job_day_totals WHERE organization_id = org;
  DELETE FROM printer_day_stats WHERE organization_id = org;
  SELECT o.time_zone INTO tz FROM organizations o WHERE o.id = org;
  IF tz IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO job_day_totals (organization_id, day, product_sku_id, print_file_id, job_material,
    completed, failed, cancelled, units, print_seconds)
  SELECT org, t.day, j.product_sku_id, j.print_file_id, coalesce(j.material_type, j.filament_type),
    sum(t.completed), sum(t.failed), sum(t.cancelled), sum(t.units), sum(t.print_seconds)
  FROM jobs j, LATERAL apf_job_day_total(j, tz) t
  WHERE j.organization_id = org AND j.time_completed IS NOT NULL
  GROUP BY 2, 3, 4, 5;
  INSERT INTO printer_day_stats (organization_id, printer_id, day, ended, completed, failed,
    units, print_seconds, busy_seconds, cum_ended, cum_completed, cum_failed, cum_busy_seconds)
  SELECT org, d.printer_id, d.day, d.ended, d.completed, d.failed, d.units, d.print_seconds,
    d.busy_seconds, sum(d.ended) OVER w, sum(d.completed) OVER w, sum(d.failed) OVER w,
    sum(d.busy_seconds) OVER w
  FROM (
    SELECT j.printer_id, p.day, sum(p.ended)::int AS ended, sum(p.completed)::int AS completed,
      sum(p.failed)::int AS failed, sum(p.units)::int AS units,
      sum(p.print_seconds)::float8 AS print_seconds, sum(p.busy_seconds)::float8 AS busy_seconds
    FROM jobs j, LATERAL apf_job_printer_days(j, tz) p
    WHERE j.organization_id = org AND j.time_completed IS NOT NULL AND j.printer_id IS NOT NULL
    GROUP BY 1, 2
  ) d
  WINDOW w AS (PARTITION BY d.printer_id ORDER BY d.day);
END
$$;
--> statement-breakpoint
-- Days are the organization's: a new time zone regroups its jobs, in the same transaction.
CREATE FUNCTION apf_org_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apf_rebuild_job_stats(NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organizations_time_zone_stats AFTER UPDATE OF time_zone ON organizations
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION apf_org_time_zone_changed();
--> statement-breakpoint
-- The jobs that ended before this migration.
SELECT apf_rebuild_job_stats(id) FROM organizations;
