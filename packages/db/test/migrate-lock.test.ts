import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase, MIGRATIONS_FOLDER } from "../src/client.ts";
import { createEmptyTestDatabase } from "../src/testing.ts";

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: unknown[];
};
const postgres = process.env.APF_TEST_DATABASE_URL;
if (!postgres) {
  console.log(
    "skipping concurrent-migration test: APF_TEST_DATABASE_URL is not set (PGlite has one process)",
  );
}

describe.runIf(postgres)("migrating from several replicas at once", () => {
  it("applies each migration exactly once while five replicas start together", async () => {
    const empty = (await createEmptyTestDatabase())!;
    try {
      const replicas = await Promise.all(
        Array.from({ length: 5 }, () => createDatabase({ databaseUrl: empty.url, poolSize: 2 })),
      );
      await Promise.all(replicas.map((r) => r.close()));

      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ hash: string }>(
          "select hash from drizzle.__drizzle_migrations",
        );
        expect(rows).toHaveLength(journal.entries.length);
        expect(new Set(rows.map((r) => r.hash)).size).toBe(journal.entries.length);
        // pg_locks spans the cluster: only this database's advisory locks are the replicas'.
        const locks = await client.query(
          "select 1 from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = current_database()",
        );
        expect(locks.rows).toHaveLength(0);
      } finally {
        await client.end();
      }
    } finally {
      await empty.drop();
    }
  });
});
