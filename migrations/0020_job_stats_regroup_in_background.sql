CREATE TABLE "job_stats_backlog" (
	"organization_id" uuid NOT NULL,
	"xact" bigint NOT NULL,
	"sign" smallint NOT NULL,
	"job" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "job_stats_stale" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "job_stats_backlog" ADD CONSTRAINT "job_stats_backlog_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_stats_backlog_org_idx" ON "job_stats_backlog" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "organizations_job_stats_stale_idx" ON "organizations" USING btree ("id") WHERE "organizations"."job_stats_stale";--> statement-breakpoint
-- A new time zone no longer regroups the organization's rollups inside the statement that sets it
-- (migration analytics_rollups did, under the request's statement timeout: an organization with a
-- long history could not change its zone, and its job ends waited on the rebuild's lock). Now:
-- 1. Setting the zone only marks the rollups stale (organizations.job_stats_stale), under the
--    organization's rollup lock, so no job end of the old regime commits after it unseen, and
--    rings the org-changes doorbell ('job_stats:<org>'): the API's regrouping wakes up.
-- 2. While stale, the job triggers leave the rollups alone and write each changed job's old and
--    new rows into job_stats_backlog, with their transaction (still under the rollup lock, which
--    only they hold now: a job end is never held back by the regrouping).
-- 3. apf_regroup_job_stats (run in the background by every API instance, without the statement
--    timeout) recounts the rollups from the jobs in one statement, reading the zone and that
--    statement's snapshot with them; then, briefly holding the organization's row and rollup
--    lock, adds the backlog entries of transactions that snapshot did not see (the jobs that
--    ended while it counted: counted once, in the new zone), empties the backlog, and marks the
--    rollups current, unless the zone changed again meanwhile (then they stay stale, and the next
--    pass regroups again). One organization at a time per instance; instances skip an
--    organization another one is regrouping (a try-lock).
-- apf_rebuild_job_stats stays, for scripts and tests that rebuild a current organization's rows at
-- once (bench seeding); on a stale organization it leaves the mark and backlog to the regrouping.
CREATE OR REPLACE FUNCTION apf_job_stats_apply(removed jobs[], added jobs[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF coalesce(cardinality(removed), 0) + coalesce(cardinality(added), 0) = 0 THEN
    RETURN;
  END IF;
  -- Each organization's lock, in one order: two statements never wait on each other crosswise.
  PERFORM apf_job_stats_lock(x.org) FROM (
    SELECT DISTINCT c.organization_id AS org FROM (
      SELECT r.organization_id FROM unnest(removed) r
      UNION ALL
      SELECT a.organization_id FROM unnest(added) a
    ) c
  ) x ORDER BY x.org;
  -- The jobs of organizations whose rollups wait for their regrouping: into the backlog.
  INSERT INTO job_stats_backlog (organization_id, xact, sign, job)
  SELECT (c.j).organization_id, pg_current_xact_id()::text::bigint, c.sign, to_jsonb(c.j)
  FROM (
    SELECT r AS j, -1 AS sign FROM unnest(removed) r
    UNION ALL
    SELECT a, 1 FROM unnest(added) a
  ) c JOIN organizations o ON o.id = (c.j).organization_id AND o.job_stats_stale;
  -- An organization being deleted has no time zone to read: its rows go with it.
  WITH c AS (
    SELECT r AS j, -1 AS sign FROM unnest(removed) r
    UNION ALL
    SELECT a, 1 FROM unnest(added) a
  )
  INSERT INTO job_day_totals AS r (organization_id, day, product_sku_id, print_file_id,
    job_material, completed, failed, cancelled, units, print_seconds)
  SELECT (c.j).organization_id, t.day, (c.j).product_sku_id, (c.j).print_file_id,
    coalesce((c.j).material_type, (c.j).filament_type), sum(c.sign * t.completed)::int,
    sum(c.sign * t.failed)::int, sum(c.sign * t.cancelled)::int, sum(c.sign * t.units)::int,
    sum(c.sign * t.print_seconds)::float8
  FROM c JOIN organizations o ON o.id = (c.j).organization_id AND o.time_zone IS NOT NULL
      AND NOT o.job_stats_stale,
    LATERAL apf_job_day_total(c.j, o.time_zone) t
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (organization_id, day, product_sku_id, print_file_id, job_material) DO UPDATE SET
    completed = r.completed + excluded.completed,
    failed = r.failed + excluded.failed,
    cancelled = r.cancelled + excluded.cancelled,
    units = r.units + excluded.units,
    print_seconds = r.print_seconds + excluded.print_seconds;
  -- Per printer and day: as in migration job_stats_per_statement.
  WITH c AS (
    SELECT r AS j, -1 AS sign FROM unnest(removed) r
    UNION ALL
    SELECT a, 1 FROM unnest(added) a
  ), d AS (
    SELECT (c.j).organization_id AS org, (c.j).printer_id AS printer_id, p.day,
      sum(c.sign * p.ended)::int AS ended, sum(c.sign * p.completed)::int AS completed,
      sum(c.sign * p.failed)::int AS failed, sum(c.sign * p.units)::int AS units,
      sum(c.sign * p.print_seconds)::float8 AS print_seconds,
      sum(c.sign * p.busy_seconds)::float8 AS busy_seconds
    FROM c JOIN organizations o ON o.id = (c.j).organization_id AND o.time_zone IS NOT NULL
        AND NOT o.job_stats_stale,
      LATERAL apf_job_printer_days(c.j, o.time_zone) p
    WHERE (c.j).printer_id IS NOT NULL
    GROUP BY 1, 2, 3
  ), w AS (
    SELECT d.*, sum(d.ended) OVER k AS run_ended, sum(d.completed) OVER k AS run_completed,
      sum(d.failed) OVER k AS run_failed, sum(d.busy_seconds) OVER k AS run_busy_seconds
    FROM d
    WINDOW k AS (PARTITION BY d.org, d.printer_id ORDER BY d.day)
  ), later AS (
    UPDATE printer_day_stats q SET
      cum_ended = q.cum_ended + s.ended,
      cum_completed = q.cum_completed + s.completed,
      cum_failed = q.cum_failed + s.failed,
      cum_busy_seconds = q.cum_busy_seconds + s.busy_seconds
    FROM (
      SELECT e.organization_id, e.printer_id, e.day, sum(d.ended)::int AS ended,
        sum(d.completed)::int AS completed, sum(d.failed)::int AS failed,
        sum(d.busy_seconds)::float8 AS busy_seconds
      FROM printer_day_stats e
        JOIN d ON d.org = e.organization_id AND d.printer_id = e.printer_id AND d.day < e.day
      WHERE NOT EXISTS (
        SELECT 1 FROM d t
        WHERE t.org = e.organization_id AND t.printer_id = e.printer_id AND t.day = e.day
      )
      GROUP BY 1, 2, 3
    ) s
    WHERE q.organization_id = s.organization_id AND q.printer_id = s.printer_id AND q.day = s.day
  )
  INSERT INTO printer_day_stats AS r (organization_id, printer_id, day, ended, completed,
    failed, units, print_seconds, busy_seconds, cum_ended, cum_completed, cum_failed,
    cum_busy_seconds)
  SELECT w.org, w.printer_id, w.day, w.ended, w.completed, w.failed, w.units, w.print_seconds,
    w.busy_seconds, coalesce(prev.cum_ended, 0) + w.run_ended,
    coalesce(prev.cum_completed, 0) + w.run_completed,
    coalesce(prev.cum_failed, 0) + w.run_failed,
    coalesce(prev.cum_busy_seconds, 0) + w.run_busy_seconds
  FROM w
    LEFT JOIN LATERAL (
      SELECT q.cum_ended, q.cum_completed, q.cum_failed, q.cum_busy_seconds
      FROM printer_day_stats q
      WHERE q.organization_id = w.org AND q.printer_id = w.printer_id AND q.day <= w.day
      ORDER BY q.day DESC LIMIT 1
    ) prev ON true
  ON CONFLICT (organization_id, printer_id, day) DO UPDATE SET
    ended = r.ended + excluded.ended,
    completed = r.completed + excluded.completed,
    failed = r.failed + excluded.failed,
    units = r.units + excluded.units,
    print_seconds = r.print_seconds + excluded.print_seconds,
    busy_seconds = r.busy_seconds + excluded.busy_seconds,
    cum_ended = excluded.cum_ended,
    cum_completed = excluded.cum_completed,
    cum_failed = excluded.cum_failed,
    cum_busy_seconds = excluded.cum_busy_seconds;
END
$$;
--> statement-breakpoint
DROP TRIGGER organizations_time_zone_stats ON organizations;
--> statement-breakpoint
-- Before the row is written: the new zone and the stale mark in one row version. The rollup lock
-- waits for the organization's job ends in progress (they keep the old zone's rows, and commit
-- first); those that follow see the mark.
CREATE OR REPLACE FUNCTION apf_org_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apf_job_stats_lock(NEW.id);
  NEW.job_stats_stale := true;
  PERFORM pg_notify('apf_org_changes', 'job_stats:' || NEW.id::text);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organizations_time_zone_stats BEFORE UPDATE OF time_zone ON organizations
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION apf_org_time_zone_changed();
--> statement-breakpoint
-- Regroups one organization's stale rollups in its time zone (see the top of this file). Returns
-- true when they are current afterwards; false when another session is regrouping them, they were
-- not stale, or the zone changed again while it counted (they stay stale). Run it in a
-- transaction of its own (one statement), with no statement timeout: it reads every job of the
-- organization. It holds no lock a job end waits for until its last, short step.
CREATE FUNCTION apf_regroup_job_stats(org uuid) RETURNS boolean LANGUAGE plpgsql
SET work_mem = '128MB' SET jit = off AS $$
DECLARE
  tz text;
  snap pg_snapshot;
BEGIN
  -- One regrouping per organization at a time, whichever instance runs it.
  IF NOT pg_try_advisory_xact_lock(hashtextextended('apf_job_stats_regroup:' || org::text, 0)) THEN
    RETURN false;
  END IF;
  -- Only the regrouping clears the mark, and it holds the lock above: once seen, it stays. No job
  -- end writes this organization's rows while it is stale, so deleting them blocks nothing.
  IF NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = org AND o.job_stats_stale) THEN
    RETURN false;
  END IF;
  DELETE FROM job_day_totals WHERE organization_id = org;
  DELETE FROM printer_day_stats WHERE organization_id = org;
  -- One statement, one snapshot: the zone, the jobs counted, and the snapshot itself, to tell
  -- afterwards which backlog entries it saw.
  WITH o AS (
    SELECT x.time_zone AS tz, pg_current_snapshot() AS snap FROM organizations x WHERE x.id = org
  ), totals AS (
    INSERT INTO job_day_totals (organization_id, day, product_sku_id, print_file_id,
      job_material, completed, failed, cancelled, units, print_seconds)
    SELECT org, t.day, j.product_sku_id, j.print_file_id,
      coalesce(j.material_type, j.filament_type), sum(t.completed), sum(t.failed),
      sum(t.cancelled), sum(t.units), sum(t.print_seconds)
    FROM o, jobs j, LATERAL apf_job_day_total(j, o.tz) t
    WHERE j.organization_id = org AND j.time_completed IS NOT NULL
    GROUP BY 2, 3, 4, 5
  ), days AS (
    INSERT INTO printer_day_stats (organization_id, printer_id, day, ended, completed, failed,
      units, print_seconds, busy_seconds, cum_ended, cum_completed, cum_failed, cum_busy_seconds)
    SELECT org, d.printer_id, d.day, d.ended, d.completed, d.failed, d.units, d.print_seconds,
      d.busy_seconds, sum(d.ended) OVER w, sum(d.completed) OVER w, sum(d.failed) OVER w,
      sum(d.busy_seconds) OVER w
    FROM (
      SELECT j.printer_id, p.day, sum(p.ended)::int AS ended, sum(p.completed)::int AS completed,
        sum(p.failed)::int AS failed, sum(p.units)::int AS units,
        sum(p.print_seconds)::float8 AS print_seconds,
        sum(p.busy_seconds)::float8 AS busy_seconds
      FROM o, jobs j, LATERAL apf_job_printer_days(j, o.tz) p
      WHERE j.organization_id = org AND j.time_completed IS NOT NULL
        AND j.printer_id IS NOT NULL
      GROUP BY 1, 2
    ) d
    WINDOW w AS (PARTITION BY d.printer_id ORDER BY d.day)
  )
  SELECT o.tz, o.snap INTO tz, snap FROM o;
  IF tz IS NULL THEN
    RETURN false; -- the organization is gone
  END IF;
  -- The short step: the row lock first (the order of a time-zone change: row, then rollup lock),
  -- then the rollup lock, which waits for the job ends in progress. Later statements see them.
  PERFORM 1 FROM organizations o WHERE o.id = org FOR NO KEY UPDATE;
  PERFORM apf_job_stats_lock(org);
  IF (SELECT o.time_zone FROM organizations o WHERE o.id = org) IS DISTINCT FROM tz THEN
    -- A newer zone: the rows stay stale, the backlog stays whole; the next pass starts over.
    RETURN false;
  END IF;
  UPDATE organizations SET job_stats_stale = false WHERE id = org;
  -- Current now, so the trigger's own function adds what the counting statement did not see.
  PERFORM apf_job_stats_apply(
    array_agg(jsonb_populate_record(NULL::jobs, b.job)) FILTER (WHERE b.sign < 0),
    array_agg(jsonb_populate_record(NULL::jobs, b.job)) FILTER (WHERE b.sign > 0))
  FROM job_stats_backlog b
  WHERE b.organization_id = org AND NOT pg_visible_in_snapshot(b.xact::text::xid8, snap);
  DELETE FROM job_stats_backlog WHERE organization_id = org;
  RETURN true;
END
$$;
