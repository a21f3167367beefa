-- A big farm for the analytics routes: 1 organization, 1,000 printers, 1,000,000 ended jobs
-- over the last 365 days (90 % completed, 10 % failed), each 1–4 h long. `npm run bench:analytics`
-- runs it on a fresh database (or see below).
-- psql -d <db> -v org="'<organization uuid>'" -f scripts/bench/analytics-seed.sql
insert into organizations (id, name) values (:org::uuid, 'Bench farm') on conflict do nothing;
insert into printers (organization_id, machine_id, name, status)
select :org::uuid, 'bench-' || g, 'Printer ' || lpad(g::text, 4, '0'), 'idle'
from generate_series(1, 1000) g;
-- The analytics rollups are built once at the end (apf_rebuild_job_stats) rather than by the
-- row trigger a million times over.
alter table jobs disable trigger jobs_stats_insert;
with p as (select array_agg(id) ids from printers where organization_id = :org::uuid)
insert into jobs (organization_id, printer_id, status, file_name, number_of_units,
  failure_reason, time_started, time_completed)
select :org::uuid, p.ids[1 + (g % 1000)],
  case when g % 10 = 0 then 'failed' else 'completed' end,
  'part-' || (g % 200) || '.gcode', 1 + g % 3,
  case when g % 10 = 0 then 'Thermal runaway on T' || (g % 2) || ' at ' || (200 + g % 40) || 'C' end,
  e - make_interval(mins => 60 + g % 180), e
from p, generate_series(1, 1000000) g,
  lateral (select now() - make_interval(secs => (g::float8 / 1000000) * 365 * 86400) as e) t;
alter table jobs enable trigger jobs_stats_insert;
select apf_rebuild_job_stats(:org::uuid);
analyze jobs;
analyze job_day_totals;
analyze printer_day_stats;
