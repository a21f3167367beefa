-- An agent report's transaction opens with one call instead of two (packages/db/src/queries/
-- ingest.ts, openAgentReport): the agent's report lock, the deferred change notifications, then
-- the agent's printers with their open or handed-over job. A plpgsql function because a VOLATILE
-- function's every query takes a fresh snapshot: the printers are read after the lock is held,
-- so they include what the agent's previous report committed while this one waited. Within one
-- statement they would be read as of before the wait.
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
  LEFT JOIN jobs j ON j.printer_id = p.id
    AND j.status IN ('processing', 'uploaded', 'printing', 'paused')
  WHERE p.agent_id = agent;
END
$$;
