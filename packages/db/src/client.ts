import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import {
  type PgDatabase,
  PgDialect,
  type PgQueryResultHKT,
  type PgTransaction,
} from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import {
  type ChannelHandlers,
  type ChannelSubscription,
  listenPglite,
  listenPostgres,
} from "./listen.ts";
import {
  appliedStamps,
  type MigrationReport,
  migrationReport,
  type RunQuery,
  readJournal,
} from "./migration-report.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** A drizzle database on either driver; every query in this package runs on both. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Database | Transaction;

export type DatabaseKind = "postgres" | "embedded";

export interface DatabaseHandle {
  db: Database;
  /**
   * The same database for background work that may run long (a whole organization's rollups
   * regrouped): on Postgres a pool of its own (one connection) without the query timeout; on
   * PGlite the one connection, `db` itself.
   */
  maintenance: Database;
  kind: DatabaseKind;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Connections of the pg pool (absent on PGlite, which has none). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** LISTENs on a NOTIFY channel (on Postgres over a connection of its own, reconnected). */
  listen(channel: string, handlers: ChannelHandlers): ChannelSubscription;
  close(): Promise<void>;
  /** What migrating did when the database was opened; null when opened with `migrate: false`. */
  migrations: MigrationReport | null;
}

export interface CreateDatabaseOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Max connections of the pg pool (default 10). */
  poolSize?: number;
  /** Give up connecting to Postgres after this long (default 5000 ms). */
  connectTimeoutMs?: number;
  /**
   * Give up on one statement after this long, in the client and in Postgres (statement_timeout);
   * default none. Migrations run on a connection of their own, without it.
   */
  queryTimeoutMs?: number;
}

/**
 * A prepared statement per database handle, built on first use: parsed and planned once per
 * pooled connection instead of once per call.
 */
export function preparedPerDatabase<S>(prepare: (db: Database) => S): (db: Database) => S {
  const made = new WeakMap<Database, S>();
  return (db) => {
    let statement = made.get(db);
    if (statement === undefined) {
      statement = prepare(db);
      made.set(db, statement);
    }
    return statement;
  };
}

const dialect = new PgDialect();

/**
 * Runs a statement as the named prepared statement `name` (on node-postgres: parsed once per
 * connection, and planned once too after Postgres's first few custom plans; PGlite runs it as
 * db.execute would), on a database or in a transaction. For statements of the hot paths, where
 * parsing and planning cost as much as running. `name` must always go with the same SQL text:
 * a statement whose text varies (a list of values joined in) cannot be named.
 */
export async function executeNamed<Row>(
  db: Queryable,
  name: string,
  query: SQL,
): Promise<{ rows: Row[]; rowCount?: number | null }> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  return (await prepared.execute()) as { rows: Row[]; rowCount?: number | null };
}

/** "memory://": an embedded database that lives as long as its process, with no files anywhere. */
export function isInMemoryDataDir(dataDir: string): boolean {
  return dataDir.startsWith("memory://");
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../migrations", import.meta.url));

/**
 * Opens the database: a `pg` Pool when `databaseUrl` is set, else embedded PGlite in `dataDir`.
 * Pending migrations from `migrations/` are applied unless `migrate: false`.
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  const { migrate, ...handle } = options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : await openPglite(options.dataDir ?? "./.apf");
  let migrations: MigrationReport | null = null;
  if (options.migrate !== false) {
    try {
      migrations = await migrate();
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return { ...handle, migrations };
}

/** Applies the pending migrations with `apply`, and reports what it did from drizzle's table. */
async function migrateAndReport(query: RunQuery, apply: () => Promise<void>) {
  const before = await appliedStamps(query);
  await apply();
  return migrationReport(readJournal(MIGRATIONS_FOLDER), before, await appliedStamps(query));
}

function openPostgres(url: string, options: CreateDatabaseOptions) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.queryTimeoutMs
      ? { query_timeout: options.queryTimeoutMs, statement_timeout: options.queryTimeoutMs }
      : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process; nor may
  // one checked out (a transaction between two statements): pg emits the socket's error on the
  // client itself, and its statements fail anyway.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzleNodePg(pool, { schema }) as unknown as Database;
  // Connects on first use only, and closes its idle connection again.
  const maintenancePool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  maintenancePool.on("error", () => {});
  maintenancePool.on("connect", (client) => client.on("error", () => {}));
  const maintenance = drizzleNodePg(maintenancePool, { schema }) as unknown as Database;
  return {
    db,
    maintenance,
    kind: "postgres" as const,
    async ping() {
      await pool.query("select 1");
    },
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    listen: (channel: string, handlers: ChannelHandlers) =>
      listenPostgres(url, channel, handlers, options.connectTimeoutMs),
    async close() {
      await Promise.all([pool.end(), maintenancePool.end()]);
    },
    async migrate() {
      // A migration may take longer than any request should: its own pool, without timeouts.
      const migrationPool = new pg.Pool({ connectionString: url, max: 1 });
      migrationPool.on("error", () => {});
      try {
        return await migrateUnderLock(migrationPool);
      } finally {
        await migrationPool.end();
      }
    },
  };
}

/** Key of the session-level advisory lock every replica takes around migrating. */
export const MIGRATION_LOCK_KEY = 0x61_70_66_6d; // "apfm"

/**
 * Applies pending migrations on one connection that holds the migration advisory lock, so that
 * replicas starting at once migrate one after the other: the first applies, the others wait, then
 * find nothing pending. The lock is released with the connection even if migrating fails.
 */
async function migrateUnderLock(pool: pg.Pool) {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await migrateAndReport(
        (sql) => client.query(sql),
        () =>
          migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
      );
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A connection whose state is in doubt is closed, which also frees any lock it still holds.
    client.release(broken);
  }
}

async function openPglite(dataDir: string) {
  if (!isInMemoryDataDir(dataDir)) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const pglite = drizzlePglite(client, { schema });
  // The same query builder as node-postgres's, over PGlite's driver: callers see one Database.
  const db = pglite as unknown as Database;
  return {
    db,
    maintenance: db,
    kind: "embedded" as const,
    async ping() {
      await client.query("select 1");
    },
    listen: (channel: string, handlers: ChannelHandlers) => listenPglite(client, channel, handlers),
    async close() {
      if (!client.closed) await client.close();
    },
    migrate: () =>
      migrateAndReport(
        (sql) => client.query(sql),
        () => migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER }),
      ),
  };
}
