-- Tells every API instance listening on apf_org_changes which organization's printers, jobs or
-- SKUs a statement changed: payload "<table>:<organization id>", once per statement and
-- organization. Postgres delivers notifications at commit, never for a rolled-back write, and folds
-- repeats within one transaction. Instances drop their serialised answers for that organization on
-- receipt (apps/api/src/services/org-changes.ts); any write path (the API, a script, psql) counts.
CREATE FUNCTION apf_notify_org_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org uuid;
BEGIN
  FOR org IN SELECT DISTINCT organization_id FROM changed_rows LOOP
    PERFORM pg_notify('apf_org_changes', TG_TABLE_NAME || ':' || org::text);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER printers_notify_insert AFTER INSERT ON printers
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER printers_notify_update AFTER UPDATE ON printers
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER printers_notify_delete AFTER DELETE ON printers
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER jobs_notify_update AFTER UPDATE ON jobs
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER jobs_notify_delete AFTER DELETE ON jobs
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER skus_notify_insert AFTER INSERT ON skus
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER skus_notify_update AFTER UPDATE ON skus
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
--> statement-breakpoint
CREATE TRIGGER skus_notify_delete AFTER DELETE ON skus
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_notify_org_changes();
