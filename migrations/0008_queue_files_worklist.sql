CREATE TABLE "file_uploads" (
	"storage_key" text PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"thumbnail_key" text,
	"uploaded_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "print_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"original_filename" text NOT NULL,
	"storage_key" text NOT NULL,
	"product_id" uuid,
	"file_size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"number_of_units" integer DEFAULT 1 NOT NULL,
	"print_time_seconds" integer,
	"filament_weight_grams" double precision,
	"filament_length_meters" double precision,
	"filament_type" text,
	"printer_model" text,
	"nozzle_diameter" real,
	"layer_count" integer,
	"layer_height_mm" real,
	"slicer" text,
	"thumbnail_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"printer_id" uuid,
	"job_id" uuid,
	"task_type" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"title" text NOT NULL,
	"subtitle" text,
	"description" text,
	"priority" text DEFAULT 'medium' NOT NULL,
	"estimated_time_minutes" integer,
	"actual_time_minutes" integer,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"due_date" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "jobs_open_per_printer_key";--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "transfer_stage" text;--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "transfer_percent" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "print_file_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "assigned_printer_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "priority" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "queue_position" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "waiting_reason" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "command_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "octoprint_file_name" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "auto_start" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "start_spacing_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "last_auto_start_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "last_job_ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "file_uploads" ADD CONSTRAINT "file_uploads_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "print_files" ADD CONSTRAINT "print_files_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_printer_id_printers_id_fk" FOREIGN KEY ("printer_id") REFERENCES "public"."printers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "file_uploads_org_idx" ON "file_uploads" USING btree ("organization_id","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "print_files_org_name_key" ON "print_files" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "print_files_org_created_idx" ON "print_files" USING btree ("organization_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tasks_org_status_idx" ON "tasks" USING btree ("organization_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_job_type_key" ON "tasks" USING btree ("job_id","task_type");--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_print_file_id_print_files_id_fk" FOREIGN KEY ("print_file_id") REFERENCES "public"."print_files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_assigned_printer_id_printers_id_fk" FOREIGN KEY ("assigned_printer_id") REFERENCES "public"."printers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_org_queue_idx" ON "jobs" USING btree ("organization_id","priority" DESC NULLS LAST,"queue_position") WHERE "jobs"."status" = 'queued';--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_open_per_printer_key" ON "jobs" USING btree ("printer_id") WHERE "jobs"."status" in ('processing', 'uploaded', 'printing', 'paused');