-- The queue's reads as index ranges (EXPLAIN with 10,000 queued jobs and 1,000 printers): the
-- dispatcher's head and a job's place read jobs_org_queue_order_idx in the queue's own order
-- (priority desc nulls first, as ORDER BY priority DESC sorts, then position, then id); the
-- per-second sweep finds unanswered and untaken print commands, organizations with auto_start
-- and expired uploads without scanning their tables; a print file's delete (and its foreign key)
-- finds the file's jobs by jobs_print_file_idx.
DROP INDEX "jobs_org_queue_idx";--> statement-breakpoint
CREATE INDEX "commands_print_dispatched_idx" ON "commands" USING btree ("dispatched_at") WHERE "commands"."action" = 'print' and "commands"."status" = 'dispatched';--> statement-breakpoint
CREATE INDEX "commands_print_pending_idx" ON "commands" USING btree ("expires_at") WHERE "commands"."action" = 'print' and "commands"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "jobs_org_queue_order_idx" ON "jobs" USING btree ("organization_id","priority" DESC NULLS FIRST,"queue_position","id") WHERE "jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_print_file_idx" ON "jobs" USING btree ("print_file_id") WHERE "jobs"."print_file_id" is not null;--> statement-breakpoint
CREATE INDEX "organizations_auto_start_idx" ON "organizations" USING btree ("id") WHERE "organizations"."auto_start";--> statement-breakpoint
CREATE INDEX "file_uploads_expires_idx" ON "file_uploads" USING btree ("expires_at");