-- The queue's reads as index ranges (EXPLAIN with 10,000 queued jobs and 1,000 printers): the
-- dispatcher's head and a job's place read jobs_org_queue_order_idx in the queue's own order
-- (priority desc nulls first, as ORDER BY priority DESC sorts, then position, then id); the
-- per-second sweep finds unanswered and untaken print commands, organizations with auto_start
-- and expired uploads without scanning their tables; a print file's delete (and its foreign key)
-- finds the file's jobs by jobs_print_file_idx. queue_counts (generated) and its triggers (by
-- hand, at the end) count each organization's queued jobs per priority.
CREATE TABLE "queue_counts" (
	"organization_id" uuid NOT NULL,
	"priority" integer NOT NULL,
	"slot" smallint NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_counts_organization_id_priority_slot_pk" PRIMARY KEY("organization_id","priority","slot")
);
--> statement-breakpoint
DROP INDEX "jobs_org_queue_idx";--> statement-breakpoint
ALTER TABLE "queue_counts" ADD CONSTRAINT "queue_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commands_print_dispatched_idx" ON "commands" USING btree ("dispatched_at") WHERE "commands"."action" = 'print' and "commands"."status" = 'dispatched';--> statement-breakpoint
CREATE INDEX "commands_print_pending_idx" ON "commands" USING btree ("expires_at") WHERE "commands"."action" = 'print' and "commands"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "jobs_org_queue_order_idx" ON "jobs" USING btree ("organization_id","priority" DESC NULLS FIRST,"queue_position","id") WHERE "jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_print_file_idx" ON "jobs" USING btree ("print_file_id") WHERE "jobs"."print_file_id" is not null;--> statement-breakpoint
CREATE INDEX "organizations_auto_start_idx" ON "organizations" USING btree ("id") WHERE "organizations"."auto_start";--> statement-breakpoint
CREATE INDEX "file_uploads_expires_idx" ON "file_uploads" USING btree ("expires_at");
--> statement-breakpoint
-- Every statement that changes jobs adds, per organization and priority, its queued rows after
-- less its queued rows before to the counter of its transaction's slot (txid % 64, as
-- printer_list_versions: concurrent enqueues bump different rows). Rows of an organization being
-- deleted are skipped (its counters go with it).
CREATE FUNCTION apf_count_queued_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_counts AS c (organization_id, priority, slot, queued)
    SELECT n.organization_id, n.priority, (txid_current() % 64)::smallint, count(*)::int
    FROM new_rows n JOIN organizations o ON o.id = n.organization_id
    WHERE n.status = 'queued'
    GROUP BY n.organization_id, n.priority
    ON CONFLICT (organization_id, priority, slot) DO UPDATE SET queued = c.queued + excluded.queued;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO queue_counts AS c (organization_id, priority, slot, queued)
    SELECT d.organization_id, d.priority, (txid_current() % 64)::smallint, -count(*)::int
    FROM old_rows d JOIN organizations o ON o.id = d.organization_id
    WHERE d.status = 'queued'
    GROUP BY d.organization_id, d.priority
    ON CONFLICT (organization_id, priority, slot) DO UPDATE SET queued = c.queued + excluded.queued;
  ELSE
    INSERT INTO queue_counts AS c (organization_id, priority, slot, queued)
    SELECT x.organization_id, x.priority, (txid_current() % 64)::smallint, sum(x.delta)::int
    FROM (
      SELECT organization_id, priority, 1 AS delta FROM new_rows WHERE status = 'queued'
      UNION ALL
      SELECT organization_id, priority, -1 AS delta FROM old_rows WHERE status = 'queued'
    ) x JOIN organizations o ON o.id = x.organization_id
    GROUP BY x.organization_id, x.priority
    HAVING sum(x.delta) <> 0
    ON CONFLICT (organization_id, priority, slot) DO UPDATE SET queued = c.queued + excluded.queued;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_count_queued_insert AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_count_queued_jobs();
--> statement-breakpoint
CREATE TRIGGER jobs_count_queued_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_count_queued_jobs();
--> statement-breakpoint
CREATE TRIGGER jobs_count_queued_delete AFTER DELETE ON jobs
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_count_queued_jobs();
--> statement-breakpoint
INSERT INTO queue_counts (organization_id, priority, slot, queued)
SELECT organization_id, priority, 0, count(*)::int FROM jobs WHERE status = 'queued'
GROUP BY organization_id, priority;
