DROP INDEX "idempotency_records_principal_key";--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "operation" text;--> statement-breakpoint
-- Every record so far is a control request: an API key's on the public route, a user's on the dashboard's.
UPDATE "idempotency_records" SET "operation" = CASE WHEN "principal" LIKE 'user:%' THEN 'dashboardControlPrinter' ELSE 'controlPrinter' END;--> statement-breakpoint
ALTER TABLE "idempotency_records" ALTER COLUMN "operation" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_records_org_principal_operation_key" ON "idempotency_records" USING btree ("organization_id","principal","operation","key");
