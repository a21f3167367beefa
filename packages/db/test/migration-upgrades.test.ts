import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/client.ts";

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: JournalEntry[];
};

/**
 * Journals of releases that reached users, as (migration, `when`) in their order. drizzle applies
 * a migration only when its `when` is later than the last one a database has applied, so a
 * database migrated by any of these must reach the current schema without re-running one.
 */
const RELEASED: Record<string, [string, number][]> = {
  "7f2048c (kits)": [
    ["init", 1795437363408],
    ["kits_maintenance_inventory_id", 1796012684798],
  ],
  "stop 14 (kits renumbered after the printer-list versions)": [
    ["init", 1795437363408],
    ["printer_list_versions", 1796013641519],
    ["printer_list_version_triggers", 1796013650981],
    ["kits_maintenance_inventory_id", 1796019394688],
    ["revoked_reason", 1796019570341],
    ["commands", 1796019764813],
  ],
};

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A migrations folder holding the current files under a released journal. */
function releasedFolder(release: [string, number][]): string {
  const folder = mkdtempSync(join(tmpdir(), "apf-migrations-"));
  folders.push(folder);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const entries = release.map(([name, when], idx) => {
    const current = journal.entries.find((e) => e.tag.endsWith(`_${name}`));
    if (!current) throw new Error(`no migration named ${name}`);
    return { ...current, idx, when };
  });
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}

it("keeps each migration's `when` increasing in the journal", () => {
  const whens = journal.entries.map((e) => e.when);
  expect(whens).toEqual([...whens].sort((a, b) => a - b));
});

for (const [release, entries] of Object.entries(RELEASED)) {
  it(`upgrades a database migrated by ${release} to the current schema`, async () => {
    const client = await PGlite.create();
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: releasedFolder(entries) });
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const tables = await client.query<{ name: string }>(
        "select table_name as name from information_schema.tables where table_schema = 'public'",
      );
      expect(tables.rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(["sku_parts", "printer_list_versions", "commands"]),
      );
      const fillfactor = await client.query<{ options: string[] | null }>(
        "select reloptions as options from pg_class where relname = 'printers'",
      );
      expect(fillfactor.rows[0]?.options).toEqual(["fillfactor=50"]);
    } finally {
      await client.close();
    }
    // Every migration on an embedded database: seconds alone, much longer beside other test files.
  }, 120_000);
}
