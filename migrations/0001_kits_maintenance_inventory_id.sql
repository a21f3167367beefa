CREATE TABLE "sku_parts" (
	"organization_id" uuid NOT NULL,
	"kit_sku_id" uuid NOT NULL,
	"part_sku_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sku_parts_kit_sku_id_part_sku_id_pk" PRIMARY KEY("kit_sku_id","part_sku_id"),
	CONSTRAINT "sku_parts_quantity_positive" CHECK ("sku_parts"."quantity" > 0),
	CONSTRAINT "sku_parts_not_self" CHECK ("sku_parts"."kit_sku_id" <> "sku_parts"."part_sku_id")
);
--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "print_time_left_s" integer;--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "firmware_version" text;--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "in_maintenance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "maintenance_type" text;--> statement-breakpoint
ALTER TABLE "printers" ADD COLUMN "last_maintenance_date" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "skus" ADD COLUMN "inventory_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "sku_parts" ADD CONSTRAINT "sku_parts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_parts" ADD CONSTRAINT "sku_parts_kit_sku_id_skus_id_fk" FOREIGN KEY ("kit_sku_id") REFERENCES "public"."skus"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_parts" ADD CONSTRAINT "sku_parts_part_sku_id_skus_id_fk" FOREIGN KEY ("part_sku_id") REFERENCES "public"."skus"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sku_parts_org_part_idx" ON "sku_parts" USING btree ("organization_id","part_sku_id");--> statement-breakpoint
CREATE UNIQUE INDEX "skus_inventory_id_key" ON "skus" USING btree ("inventory_id");