-- The agent report's opening read (0017) joined the agent's printers to the open jobs with a
-- plain LEFT JOIN, which the planner may run as a hash join over every organization's open jobs
-- (it did, in the bench: 4,061 jobs hashed to find the open ones of 50 printers). A lateral
-- lookup per printer through jobs_open_per_printer_key (at most one open job per printer) costs
-- the agent's printers, whatever the rest of the database holds.
CREATE OR REPLACE FUNCTION apf_open_agent_report(agent uuid)
RETURNS TABLE (
  id uuid, machine_id text, organization_id uuid, status text, announced_status text,
  observed_ms float8, job_id uuid, job_status text, job_file_name text, job_started_ms float8,
  job_progress float8, job_estimated integer, job_failure_reason text, job_sku_id uuid,
  job_units integer, job_octoprint_file text, job_dispatched_ms float8
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- the key the events sweep takes (staleness.ts): the uuid as text
  PERFORM pg_advisory_xact_lock(hashtextextended(agent::text, 0));
  PERFORM set_config('apf.defer_org_changes', 'on', true);
  RETURN QUERY
  SELECT p.id, p.machine_id::text, p.organization_id, p.status::text, p.announced_status::text,
    (extract(epoch from p.observed_at) * 1000)::float8,
    j.id, j.status::text,
    -- a queued job's file is named on OctoPrint as apf sent it; that is the name reports carry
    coalesce(regexp_replace(j.octoprint_file_name, '^.*/', ''), j.file_name)::text,
    (extract(epoch from j.time_started) * 1000)::float8,
    j.progress_percentage::float8, j.estimated_print_time_minutes::integer,
    j.failure_reason::text, j.product_sku_id, j.number_of_units::integer,
    j.octoprint_file_name::text, (extract(epoch from j.dispatched_at) * 1000)::float8
  FROM printers p
  LEFT JOIN LATERAL (
    SELECT oj.* FROM jobs oj
    WHERE oj.printer_id = p.id AND oj.status IN ('processing', 'uploaded', 'printing', 'paused')
    LIMIT 1
  ) j ON true
  WHERE p.agent_id = agent;
END
$$;
