import { afterAll, beforeAll, expect, it } from "vitest";
import { type BlankTestDatabase, createBlankTestDatabase } from "../src/testing.ts";
import { MIGRATION_FILES as files, migrationStatements } from "./support/migration-files.ts";

const target = files.findIndex((f) => f.includes("analytics_rollups"));

let db: BlankTestDatabase;
beforeAll(async () => {
  db = await createBlankTestDatabase();
});
afterAll(() => db.close());

const ORG = "00000000-0000-4000-8000-000000000001";
const P1 = "00000000-0000-4000-8000-0000000000a1";

it("rolls up the jobs that ended before it, in each organization's time zone", async () => {
  expect(target).toBeGreaterThan(0);
  for (const file of files.slice(0, target)) {
    for (const statement of migrationStatements(file)) await db.query(statement);
  }
  await db.query(`insert into organizations (id, name, time_zone)
    values ('${ORG}', 'Farm', 'America/New_York')`);
  await db.query(`insert into printers (id, organization_id, machine_id, name, status)
    values ('${P1}', '${ORG}', 'm1', 'P1', 'idle')`);
  // 22:00 to 02:00 New York (UTC−5): ends on the 21st, prints 2 h on each day; then a failure
  // on the 21st, a job without a printer, and one still printing (no end: nothing to roll up).
  await db.query(`insert into jobs (organization_id, printer_id, status, number_of_units,
      time_started, time_completed) values
    ('${ORG}', '${P1}', 'completed', 3, '2026-11-21T03:00:00Z', '2026-11-21T07:00:00Z'),
    ('${ORG}', '${P1}', 'failed', 1, '2026-11-21T12:00:00Z', '2026-11-21T13:00:00Z'),
    ('${ORG}', null, 'cancelled', 1, null, '2026-11-22T12:00:00Z'),
    ('${ORG}', '${P1}', 'printing', 1, '2026-11-22T20:00:00Z', null)`);

  for (const statement of migrationStatements(files[target]!)) await db.query(statement);

  expect(
    await db.query(`select day::text, completed, failed, cancelled, units, print_seconds
      from job_day_totals order by day`),
  ).toEqual([
    { day: "2026-11-21", completed: 1, failed: 1, cancelled: 0, units: 3, print_seconds: 14400 },
    { day: "2026-11-22", completed: 0, failed: 0, cancelled: 1, units: 0, print_seconds: 0 },
  ]);
  expect(
    await db.query(`select day::text, ended, completed, failed, busy_seconds, cum_ended,
        cum_busy_seconds
      from printer_day_stats order by day`),
  ).toEqual([
    {
      day: "2026-11-20",
      ended: 0,
      completed: 0,
      failed: 0,
      busy_seconds: 7200,
      cum_ended: 0,
      cum_busy_seconds: 7200,
    },
    {
      day: "2026-11-21",
      ended: 2,
      completed: 1,
      failed: 1,
      busy_seconds: 7200 + 3600,
      cum_ended: 2,
      cum_busy_seconds: 18000,
    },
  ]);
});
