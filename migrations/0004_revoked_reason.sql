ALTER TABLE "agents" ADD COLUMN "revoked_reason" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_reason" text;