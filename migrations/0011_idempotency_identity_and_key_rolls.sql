DROP INDEX "idempotency_records_principal_key";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rolled_from_id" uuid;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD COLUMN "operation" text;--> statement-breakpoint
-- Every record so far is a control request: an API key's on the public route, a user's on the dashboard's.
UPDATE "idempotency_records" SET "operation" = CASE WHEN "principal" LIKE 'user:%' THEN 'dashboardControlPrinter' ELSE 'controlPrinter' END;--> statement-breakpoint
ALTER TABLE "idempotency_records" ALTER COLUMN "operation" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rolled_from_id_api_keys_id_fk" FOREIGN KEY ("rolled_from_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Keys rolled before this migration: their roll's audit event names the key they replaced.
UPDATE "api_keys" AS k SET "rolled_from_id" = old."id" FROM "audit_events" AS a, "api_keys" AS old WHERE a."action" = 'api_key.created' AND a."organization_id" = k."organization_id" AND a."target_id" = k."id"::text AND old."organization_id" = k."organization_id" AND old."id"::text = a."details"->>'rolled_from';--> statement-breakpoint
CREATE INDEX "api_keys_rolled_from_idx" ON "api_keys" USING btree ("rolled_from_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_records_org_principal_operation_key" ON "idempotency_records" USING btree ("organization_id","principal","operation","key");
