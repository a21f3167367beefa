import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What applying the migrations did at start: the ones applied now, and where the schema stands. */
export interface MigrationReport {
  /** Tags of the migrations applied by this start, oldest first (`0008_queue_files_worklist`). */
  applied: string[];
  /** Tag of the newest migration the database holds after this start; null if none. */
  schema: string | null;
}

interface JournalEntry {
  tag: string;
  /** drizzle's `folderMillis`: stored as `created_at` in `drizzle.__drizzle_migrations`. */
  when: number;
}

/** The migrations of `folder`, oldest first, from drizzle-kit's journal. */
export function readJournal(folder: string): JournalEntry[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/** Runs one SQL statement and returns its rows (a pg client's or PGlite's `query`). */
export type RunQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** The `created_at` stamps of the migrations the database holds (none before the first start). */
export async function appliedStamps(query: RunQuery): Promise<Set<number>> {
  const { rows } = await query(
    "select to_regclass('drizzle.__drizzle_migrations') is not null as present",
  );
  if (!rows[0]?.present) return new Set();
  const applied = await query("select created_at from drizzle.__drizzle_migrations");
  return new Set(applied.rows.map((r) => Number(r.created_at)));
}

/**
 * Compares the stamps held before and after migrating against the journal, the way drizzle's
 * migrator reads them: a migration counts as applied once the newest stamp is at or past its
 * `when` (a database migrated under an older journal holds other stamps for the same files).
 */
export function migrationReport(
  journal: readonly JournalEntry[],
  before: ReadonlySet<number>,
  after: ReadonlySet<number>,
): MigrationReport {
  const newest = (stamps: ReadonlySet<number>) => Math.max(-Infinity, ...stamps);
  const from = newest(before);
  const to = newest(after);
  return {
    applied: journal.filter((e) => e.when > from && e.when <= to).map((e) => e.tag),
    schema: journal.filter((e) => e.when <= to).at(-1)?.tag ?? null,
  };
}

/**
 * The start-up log line: `migrations: applied 0008_queue_files_worklist (1 new), schema at
 * 0008_queue_files_worklist`, or `migrations: schema up to date at 0008_queue_files_worklist`.
 */
export function describeMigrations({ applied, schema }: MigrationReport): string {
  if (applied.length === 0) return `migrations: schema up to date at ${schema ?? "(none)"}`;
  const names = applied.length > 3 ? `${applied[0]} … ${applied.at(-1)}` : applied.join(", ");
  return `migrations: applied ${names} (${applied.length} new), schema at ${schema}`;
}
