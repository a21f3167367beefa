-- Bumps printer_list_versions once per statement for every organization whose printers the
-- statement inserted, updated or deleted. Written here, at the data layer, so that no write
-- path (ingest, the dashboard, a script, psql) can change a printer without readers that keep
-- a serialised printer list noticing. The join skips organizations being deleted.
CREATE FUNCTION apf_bump_printer_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO printer_list_versions AS v (organization_id, version)
  SELECT DISTINCT c.organization_id, 1
  FROM changed_rows c JOIN organizations o ON o.id = c.organization_id
  ON CONFLICT (organization_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER printers_list_version_insert AFTER INSERT ON printers
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_bump_printer_list_version();
--> statement-breakpoint
CREATE TRIGGER printers_list_version_update AFTER UPDATE ON printers
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_bump_printer_list_version();
--> statement-breakpoint
CREATE TRIGGER printers_list_version_delete AFTER DELETE ON printers
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION apf_bump_printer_list_version();
--> statement-breakpoint
INSERT INTO printer_list_versions (organization_id, version)
SELECT DISTINCT organization_id, 1 FROM printers
ON CONFLICT (organization_id) DO NOTHING;
