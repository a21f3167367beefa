import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type DatabaseHandle } from "./client.ts";

/**
 * Test support: each test file gets a database of its own so files run in parallel.
 *
 * With `APF_TEST_DATABASE_URL` set (the test runner sets it when Postgres answers), a fresh
 * database is created from a migrated template (see `prepareTemplateDatabase`) and dropped on
 * close. Without it, an in-memory PGlite is used.
 */
export interface TestDatabase extends DatabaseHandle {
  /** postgres:// URL of this file's database, or null on PGlite. */
  url: string | null;
}

/** Databases of one test run share this prefix, so parallel runs never touch each other's. */
function runPrefix(): string {
  const run = process.env.APF_TEST_RUN ?? "local";
  if (!/^[a-z0-9]{1,16}$/.test(run)) throw new Error("APF_TEST_RUN must be 1-16 of [a-z0-9]");
  return `apf_test_${run}`;
}

function templateName(): string {
  return `${runPrefix()}_template`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates (again) this run's migrated template database that test databases are copied from;
 * `prepare` adds what else every copy needs (the task queue's schema).
 */
export async function prepareTemplateDatabase(
  baseUrl: string,
  prepare?: (url: string) => Promise<void>,
): Promise<void> {
  const template = templateName();
  await admin(baseUrl, async (c) => {
    await c.query(`drop database if exists ${template} with (force)`);
    await c.query(`create database ${template}`);
  });
  const handle = await createDatabase({ databaseUrl: withDatabase(baseUrl, template) });
  await handle.close();
  await prepare?.(withDatabase(baseUrl, template));
}

/** Drops this run's template and every test database it created. */
export async function dropTestDatabases(baseUrl: string): Promise<void> {
  await admin(baseUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [`${runPrefix()}_`],
    );
    for (const { datname } of rows)
      await c.query(`drop database if exists ${datname} with (force)`);
  });
}

export async function createTestDatabase(
  options: { queryTimeoutMs?: number } = {},
): Promise<TestDatabase> {
  const baseUrl = process.env.APF_TEST_DATABASE_URL;
  if (!baseUrl) {
    const handle = await createDatabase({ dataDir: "memory://" });
    return { ...handle, url: null };
  }
  const name = `${runPrefix()}_${randomBytes(6).toString("hex")}`;
  await createFromTemplate(baseUrl, name);
  const url = withDatabase(baseUrl, name);
  const handle = await createDatabase({
    databaseUrl: url,
    migrate: false,
    poolSize: 5,
    queryTimeoutMs: options.queryTimeoutMs,
  });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      await admin(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * An empty database of this run (no migrations applied), for tests of migrating itself; null
 * without `APF_TEST_DATABASE_URL`. Dropped by `drop()` or with the run's other databases.
 */
export async function createEmptyTestDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
} | null> {
  const baseUrl = process.env.APF_TEST_DATABASE_URL;
  if (!baseUrl) return null;
  const name = `${runPrefix()}_${randomBytes(6).toString("hex")}`;
  await admin(baseUrl, (c) => c.query(`create database ${name}`));
  return {
    url: withDatabase(baseUrl, name),
    async drop() {
      await admin(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Copies the template; retries while another worker's copy briefly holds it (SQLSTATE 55006). */
async function createFromTemplate(baseUrl: string, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(baseUrl, (c) => c.query(`create database ${name} template ${templateName()}`));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}

/** A database with nothing in it, for tests that apply migrations one by one. */
export interface BlankTestDatabase {
  query<T>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

/** An empty Postgres database of this run (dropped on close), or an in-memory PGlite. */
export async function createBlankTestDatabase(): Promise<BlankTestDatabase> {
  const baseUrl = process.env.APF_TEST_DATABASE_URL;
  if (!baseUrl) {
    const { PGlite } = await import("@electric-sql/pglite");
    const lite = new PGlite();
    return {
      async query<T>(text: string) {
        const results = await lite.exec(text);
        return (results.at(-1)?.rows ?? []) as T[];
      },
      close: () => lite.close(),
    };
  }
  const name = `${runPrefix()}_${randomBytes(6).toString("hex")}`;
  await admin(baseUrl, (c) => c.query(`create database ${name}`));
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, name) });
  await client.connect();
  return {
    async query<T>(text: string) {
      return (await client.query(text)).rows as T[];
    },
    async close() {
      await client.end();
      await admin(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
