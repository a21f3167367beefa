-- The analytics rollups (job_day_totals, printer_day_stats) are kept per statement instead of per
-- row (issue #23). A report in which a thousand jobs ended ran the row trigger a thousand times,
-- and each time upserted the organization's one day total again: a thousand versions of one row
-- in one transaction, each ON CONFLICT walking the versions before it. Now each statement sums
-- its jobs' contributions (the same functions, apf_job_day_total and apf_job_printer_days) per
-- day total and per printer and day, and writes each once. The triggers keep their names (the
-- benches disable and enable them by name); what they count is unchanged: a job with an end, its
-- old contribution taken away and its new one added when a field the rollups read changed.
-- No JIT: the statements' estimates (a function's thousand rows per job) pass its threshold, and
-- compiling them took seconds where running them takes milliseconds.
CREATE FUNCTION apf_job_stats_apply(removed jobs[], added jobs[]) RETURNS void
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
  FROM c JOIN organizations o ON o.id = (c.j).organization_id AND o.time_zone IS NOT NULL,
    LATERAL apf_job_day_total(c.j, o.time_zone) t
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (organization_id, day, product_sku_id, print_file_id, job_material) DO UPDATE SET
    completed = r.completed + excluded.completed,
    failed = r.failed + excluded.failed,
    cancelled = r.cancelled + excluded.cancelled,
    units = r.units + excluded.units,
    print_seconds = r.print_seconds + excluded.print_seconds;
  -- Per printer and day: the statement's sums (d), and their running sums up to each day (w).
  -- A day's row gets its own sums, and as running totals those of the printer's latest row on or
  -- before that day (as the statement began) plus the statement's running sums; the printer's
  -- later rows that the statement did not touch get the statement's sums of the days before them.
  -- Both read the rows as they were before the statement, and write disjoint rows.
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
    FROM c JOIN organizations o ON o.id = (c.j).organization_id AND o.time_zone IS NOT NULL,
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
-- A statement's jobs with an end: taken away (their rows before) and added (after). An update
-- counts only the jobs with an end where a field the rollups read changed; one that ends no job
-- and changed none (a report's progress, waiting reasons) returns after one look at its rows.
CREATE FUNCTION apf_job_stats_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM apf_job_stats_apply(NULL::jobs[],
      (SELECT array_agg(row(n.*)::jobs) FROM new_rows n WHERE n.time_completed IS NOT NULL));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM apf_job_stats_apply(
      (SELECT array_agg(row(o.*)::jobs) FROM old_rows o WHERE o.time_completed IS NOT NULL), NULL::jobs[]);
  ELSIF EXISTS (SELECT 1 FROM new_rows n WHERE n.time_completed IS NOT NULL)
    OR EXISTS (SELECT 1 FROM old_rows o WHERE o.time_completed IS NOT NULL) THEN
    PERFORM apf_job_stats_apply(
      array_agg(row(o.*)::jobs) FILTER (WHERE o.time_completed IS NOT NULL),
      array_agg(row(n.*)::jobs) FILTER (WHERE n.time_completed IS NOT NULL))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.time_completed IS NOT NULL OR n.time_completed IS NOT NULL)
      AND (o.status, o.time_completed, o.time_started, o.actual_print_time_minutes,
        o.printer_id, o.product_sku_id, o.print_file_id, o.material_type, o.filament_type,
        o.number_of_units, o.organization_id)
      IS DISTINCT FROM (n.status, n.time_completed, n.time_started, n.actual_print_time_minutes,
        n.printer_id, n.product_sku_id, n.print_file_id, n.material_type, n.filament_type,
        n.number_of_units, n.organization_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER jobs_stats_insert ON jobs;
--> statement-breakpoint
DROP TRIGGER jobs_stats_update ON jobs;
--> statement-breakpoint
DROP TRIGGER jobs_stats_delete ON jobs;
--> statement-breakpoint
DROP FUNCTION apf_job_stats_trigger();
--> statement-breakpoint
DROP FUNCTION apf_job_stats_add(jobs, int);
--> statement-breakpoint
CREATE TRIGGER jobs_stats_insert AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_job_stats_statement();
--> statement-breakpoint
CREATE TRIGGER jobs_stats_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_job_stats_statement();
--> statement-breakpoint
CREATE TRIGGER jobs_stats_delete AFTER DELETE ON jobs
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_job_stats_statement();
