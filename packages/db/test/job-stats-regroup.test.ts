import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/client.ts";
import { productionByDay } from "../src/queries/analytics.ts";
import { regroupJobStats, staleJobStatsOrganizations } from "../src/queries/job-stats.ts";
import { jobs, organizations, printers } from "../src/schema/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

/*
 * The regrouping of an organization's rollups after its time zone changed runs in the
 * background (apf_regroup_job_stats): a time-zone change only marks them stale, jobs that end
 * meanwhile wait in job_stats_backlog. These cases pin what it promises: figures in the new zone,
 * each job counted once whenever it ended, other organizations untouched, and (on Postgres, with
 * real concurrent sessions) job ends and a second regrouping running while it counts.
 */

let handle: TestDatabase;
let db: Database;
const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle.close());

async function makeOrg(name: string, timeZone = "UTC") {
  const [org] = await db
    .insert(organizations)
    .values({ name, timeZone })
    .returning({ id: organizations.id });
  const [printer] = await db
    .insert(printers)
    .values({ organizationId: org!.id, machineId: `m-${name}`, name: "P1", status: "idle" })
    .returning({ id: printers.id });
  return { org: org!.id, printer: printer!.id };
}

/** A completed job of one unit that printed the hour before `ended`. */
async function endJob(q: Database, farm: { org: string; printer: string }, ended: string) {
  const end = new Date(ended);
  const [job] = await q
    .insert(jobs)
    .values({
      organizationId: farm.org,
      printerId: farm.printer,
      status: "completed",
      numberOfUnits: 1,
      timeStarted: new Date(end.getTime() - 3_600_000),
      timeCompleted: end,
    })
    .returning({ id: jobs.id });
  return job!.id;
}

const now = new Date("2026-11-12T15:30:00Z");
/** Completed jobs per day of the window, in `timeZone`, as the reports read them. */
async function completedByDay(org: string, timeZone: string, from: string, to: string) {
  const days = await productionByDay(db, org, { from, to, timeZone, now }, {});
  return Object.fromEntries(days.filter((d) => d.completed > 0).map((d) => [d.date, d.completed]));
}

async function staleOf(org: string): Promise<boolean> {
  const [row] = await db
    .select({ stale: organizations.jobStatsStale })
    .from(organizations)
    .where(eq(organizations.id, org));
  return row!.stale;
}

const setZone = (q: Database, org: string, timeZone: string) =>
  q.update(organizations).set({ timeZone }).where(eq(organizations.id, org));

/** Every rollup row of an organization, to compare before and after. */
async function rollupRows(org: string) {
  const totals = await db.execute(sql`select * from job_day_totals where organization_id = ${org}
    order by day, product_sku_id, print_file_id, job_material`);
  const days = await db.execute(sql`select * from printer_day_stats where organization_id = ${org}
    order by printer_id, day`);
  return { totals: rows(totals), days: rows(days) };
}

describe("a time-zone change", () => {
  it("marks the rollups stale, and the regrouping moves a job ending at 02:00 UTC to the day before in New York", async () => {
    const farm = await makeOrg("Moving farm");
    await endJob(db, farm, "2026-11-10T02:00:00Z");
    await endJob(db, farm, "2026-11-10T15:00:00Z");
    expect(await completedByDay(farm.org, "UTC", "2026-11-08", "2026-11-11")).toEqual({
      "2026-11-10": 2,
    });
    await setZone(db, farm.org, "America/New_York");
    expect(await staleOf(farm.org)).toBe(true);
    expect(await staleJobStatsOrganizations(db, 100)).toContain(farm.org);
    // A job ending while stale: in the backlog, counted by the regrouping in the new zone.
    await endJob(db, farm, "2026-11-11T03:30:00Z");
    expect(await regroupJobStats(db, farm.org)).toBe(true);
    expect(await staleOf(farm.org)).toBe(false);
    // 02:00 UTC on the 10th is 21:00 on the 9th in New York (EST, UTC-5); 03:30 on the 11th is
    // 22:30 on the 10th; 15:00 on the 10th is 10:00 the same day.
    expect(await completedByDay(farm.org, "America/New_York", "2026-11-08", "2026-11-11")).toEqual({
      "2026-11-09": 1,
      "2026-11-10": 2,
    });
    // Nothing left to do: a second pass finds the rollups current.
    expect(await regroupJobStats(db, farm.org)).toBe(false);
    // A job ending once current is counted by the triggers directly, in the new zone.
    await endJob(db, farm, "2026-11-11T04:30:00Z");
    expect(await completedByDay(farm.org, "America/New_York", "2026-11-08", "2026-11-11")).toEqual({
      "2026-11-09": 1,
      "2026-11-10": 3,
    });
  });

  it("never touches another organization's rows, nor holds back its job ends", async () => {
    const moving = await makeOrg("Tenant A");
    const other = await makeOrg("Tenant B");
    await endJob(db, moving, "2026-11-10T02:00:00Z");
    await endJob(db, other, "2026-11-10T02:00:00Z");
    const before = await rollupRows(other.org);
    await setZone(db, moving.org, "America/New_York");
    expect(await staleOf(other.org)).toBe(false);
    expect(await staleJobStatsOrganizations(db, 100)).not.toContain(other.org);
    expect(await regroupJobStats(db, moving.org)).toBe(true);
    expect(await rollupRows(other.org)).toEqual(before);
    // The other organization's job ends go on into its rollups, in its own zone.
    await endJob(db, other, "2026-11-10T03:00:00Z");
    expect(await completedByDay(other.org, "UTC", "2026-11-09", "2026-11-10")).toEqual({
      "2026-11-10": 2,
    });
    const backlog = await db.execute(
      sql`select count(*)::int as n from job_stats_backlog where organization_id = ${other.org}`,
    );
    expect(rows(backlog)).toEqual([{ n: 0 }]);
  });
});

/*
 * Interleavings with real concurrent sessions: Postgres only (PGlite has one connection, on which
 * a regrouping runs whole before anything else).
 */
describe.skipIf(!process.env.APF_TEST_DATABASE_URL)("concurrent sessions", () => {
  let other: pg.Client;
  beforeAll(async () => {
    other = new pg.Client({ connectionString: handle.url! });
    await other.connect();
  });
  afterAll(() => other.end());

  /** Resolves once some session waits for a lock (the regrouping, at its last step). */
  async function untilSomeoneWaits() {
    for (let i = 0; i < 500; i++) {
      const { rows: waiting } = await other.query(
        `select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where not l.granted and a.datname = current_database()`,
      );
      if (waiting.length > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("the regrouping never waited");
  }

  it("counts once a job that ends and one that changes while it counts, in the new zone", async () => {
    const farm = await makeOrg("Busy farm");
    const retried = await endJob(db, farm, "2026-11-10T02:00:00Z");
    await endJob(db, farm, "2026-11-10T15:00:00Z");
    await setZone(db, farm.org, "America/New_York");
    // Hold the organization's row: the regrouping counts, then waits at its last step.
    await other.query("begin");
    await other.query("select 1 from organizations where id = $1 for no key update", [farm.org]);
    const regrouping = regroupJobStats(handle.maintenance, farm.org);
    await untilSomeoneWaits();
    // Meanwhile (after the counting statement's snapshot): a job ends, and a counted one changes.
    await endJob(db, farm, "2026-11-11T03:30:00Z");
    await db.update(jobs).set({ status: "failed", numberOfUnits: 1 }).where(eq(jobs.id, retried));
    // A second regrouping (another instance) gives way at once.
    expect(await regroupJobStats(db, farm.org)).toBe(false);
    await other.query("commit");
    expect(await regrouping).toBe(true);
    const days = await productionByDay(
      db,
      farm.org,
      { from: "2026-11-09", to: "2026-11-10", timeZone: "America/New_York", now },
      {},
    );
    expect(days.map((d) => [d.date, d.completed, d.failed, d.units])).toEqual([
      ["2026-11-09", 0, 1, 0],
      ["2026-11-10", 2, 0, 2],
    ]);
    const printerRows = await db.execute(sql`select day::text, ended, completed, failed, cum_ended
      from printer_day_stats where organization_id = ${farm.org} and ended <> 0 order by day`);
    expect(rows(printerRows)).toEqual([
      { day: "2026-11-09", ended: 1, completed: 0, failed: 1, cum_ended: 1 },
      { day: "2026-11-10", ended: 2, completed: 2, failed: 0, cum_ended: 3 },
    ]);
  });

  it("stays stale when the zone changes again while it counts, and regroups in the newest", async () => {
    const farm = await makeOrg("Restless farm");
    await endJob(db, farm, "2026-11-10T02:00:00Z");
    await setZone(db, farm.org, "America/New_York");
    // A second change, not committed yet: the regrouping counts in New York, then waits for it.
    await other.query("begin");
    await other.query("update organizations set time_zone = 'Asia/Tokyo' where id = $1", [
      farm.org,
    ]);
    const regrouping = regroupJobStats(handle.maintenance, farm.org);
    await untilSomeoneWaits();
    await other.query("commit");
    expect(await regrouping).toBe(false);
    expect(await staleOf(farm.org)).toBe(true);
    expect(await regroupJobStats(db, farm.org)).toBe(true);
    // 02:00 UTC on the 10th is 11:00 on the 10th in Tokyo.
    expect(await completedByDay(farm.org, "Asia/Tokyo", "2026-11-09", "2026-11-10")).toEqual({
      "2026-11-10": 1,
    });
  });

  it("never holds back the organization's job ends while it counts", async () => {
    const farm = await makeOrg("Ingesting farm");
    await setZone(db, farm.org, "America/New_York");
    await other.query("begin");
    await other.query("select 1 from organizations where id = $1 for no key update", [farm.org]);
    const regrouping = regroupJobStats(handle.maintenance, farm.org);
    await untilSomeoneWaits();
    // The regrouping holds its regroup lock and waits: a job end still commits, with no wait.
    const timed = await createTestDatabaseLike(handle.url!);
    try {
      await timed.query("set statement_timeout = 2000");
      await timed.query(
        `insert into jobs (organization_id, printer_id, status, number_of_units, time_started, time_completed)
         values ($1, $2, 'completed', 1, now() - interval '1 hour', now())`,
        [farm.org, farm.printer],
      );
    } finally {
      await timed.end();
    }
    await other.query("commit");
    expect(await regrouping).toBe(true);
    const total = await db.execute(sql`select coalesce(sum(completed), 0)::int as n
      from job_day_totals where organization_id = ${farm.org}`);
    expect(rows(total)).toEqual([{ n: 1 }]);
  });
});

async function createTestDatabaseLike(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
