import { describe, expect, it } from "vitest";
import { createDatabase, MIGRATIONS_FOLDER } from "../src/client.ts";
import { describeMigrations, migrationReport, readJournal } from "../src/migration-report.ts";
import { createEmptyTestDatabase } from "../src/testing.ts";

const journal = readJournal(MIGRATIONS_FOLDER);
const tags = journal.map((e) => e.tag);
const newest = tags.at(-1)!;

describe("what migrating at start reports", () => {
  it("says which migrations one start applied and where the schema stands", () => {
    const upTo = (n: number) => new Set(journal.slice(0, n).map((e) => e.when));
    const report = migrationReport(journal, upTo(journal.length - 1), upTo(journal.length));
    expect(report).toEqual({ applied: [newest], schema: newest });
    expect(describeMigrations(report)).toBe(
      `migrations: applied ${newest} (1 new), schema at ${newest}`,
    );
    const twoNew = migrationReport(journal, upTo(journal.length - 2), upTo(journal.length));
    expect(describeMigrations(twoNew)).toBe(
      `migrations: applied ${tags.at(-2)}, ${newest} (2 new), schema at ${newest}`,
    );
  });

  it("says the schema is up to date when nothing was pending", () => {
    const all = new Set(journal.map((e) => e.when));
    const report = migrationReport(journal, all, all);
    expect(report).toEqual({ applied: [], schema: newest });
    expect(describeMigrations(report)).toBe(`migrations: schema up to date at ${newest}`);
  });

  it("reads a database migrated under an older journal (other stamps) as drizzle does", () => {
    // Stamps just before each of the first three migrations: those files ran under other stamps.
    const older = new Set(journal.slice(0, 3).map((e) => e.when - 1));
    const upgraded = new Set([...older, ...journal.slice(2).map((e) => e.when)]);
    expect(migrationReport(journal, older, upgraded)).toEqual({
      applied: tags.slice(2),
      schema: newest,
    });
    expect(migrationReport(journal, upgraded, upgraded)).toEqual({ applied: [], schema: newest });
  });

  it("names the first and last of a long run of new migrations", () => {
    const report = migrationReport(journal, new Set(), new Set(journal.map((e) => e.when)));
    expect(report.applied).toEqual(tags);
    expect(describeMigrations(report)).toBe(
      `migrations: applied ${tags[0]} … ${newest} (${tags.length} new), schema at ${newest}`,
    );
  });

  it("reports every migration on a fresh embedded database", async () => {
    const handle = await createDatabase({ dataDir: "memory://" });
    try {
      expect(handle.migrations).toEqual({ applied: tags, schema: newest });
    } finally {
      await handle.close();
    }
  }, 120_000);
});

describe.runIf(process.env.APF_TEST_DATABASE_URL)("on PostgreSQL", () => {
  it("applies everything on the first start and nothing on the second", async () => {
    const empty = (await createEmptyTestDatabase())!;
    try {
      const first = await createDatabase({ databaseUrl: empty.url, poolSize: 1 });
      await first.close();
      expect(first.migrations).toEqual({ applied: tags, schema: newest });
      const second = await createDatabase({ databaseUrl: empty.url, poolSize: 1 });
      await second.close();
      expect(second.migrations).toEqual({ applied: [], schema: newest });
    } finally {
      await empty.drop();
    }
  });
});
