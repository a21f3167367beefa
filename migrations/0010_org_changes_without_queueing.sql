-- Concurrent writers of one organization (the agents of one farm) no longer queue on each other.
--
-- 1. The printer-list version becomes a sum of counters (migration printer_list_version_slots):
--    a transaction bumps the counter of slot (its transaction id % 64), so concurrent writers of
--    one organization lock different rows instead of each waiting, from its first printer write,
--    for the previous writer's commit. One transaction always uses one slot: no deadlock.
CREATE OR REPLACE FUNCTION apf_bump_printer_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO printer_list_versions AS v (organization_id, slot, version)
  SELECT DISTINCT c.organization_id, (txid_current() % 64)::smallint, 1
  FROM changed_rows c JOIN organizations o ON o.id = c.organization_id
  ON CONFLICT (organization_id, slot) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- 2. A transaction that set apf.defer_org_changes = 'on' (set_config(…, true): this transaction
--    only) NOTIFYs nothing itself: the changed "<table>:<organization>" are collected, space
--    separated, in apf.deferred_org_changes, and the writer announces them once committed,
--    together with other writers' (apps/api/src/services/org-changes.ts). A NOTIFY in a
--    transaction takes a database-wide lock at commit, held until the commit is flushed, so every
--    notifying commit waits for the one before; ingest's reports need not. Every other writer (the
--    dashboard, a script, psql) still notifies at its commit, as before.
CREATE OR REPLACE FUNCTION apf_notify_org_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org uuid;
  payload text;
  collected text;
  deferred boolean := coalesce(current_setting('apf.defer_org_changes', true), '') = 'on';
BEGIN
  FOR org IN SELECT DISTINCT organization_id FROM changed_rows LOOP
    payload := TG_TABLE_NAME || ':' || org::text;
    IF deferred THEN
      collected := coalesce(current_setting('apf.deferred_org_changes', true), '');
      IF position(payload IN collected) = 0 THEN
        PERFORM set_config('apf.deferred_org_changes', collected || payload || ' ', true);
      END IF;
    ELSE
      PERFORM pg_notify('apf_org_changes', payload);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
