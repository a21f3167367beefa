import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { call as publicCall } from "../public/helpers.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createApiKey } from "../support/factories.ts";
import { createJob, createPrinter } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

/*
 * A time-zone change on an organization with a long history: the PATCH commits at once, under a
 * statement timeout the old in-statement regrouping of every job far exceeded; the reports answer
 * 503 ANALYTICS_REGROUPING with Retry-After until the background regrouping (run here by hand,
 * auto: false) has regrouped the days; then they answer in the new zone, jobs that ended
 * meanwhile included once. Another organization's reports answer throughout.
 */

/** Statement timeout of the API's pool here (APF_DB_QUERY_TIMEOUT_MS in production). */
const TIMEOUT_MS = 250;
let database: TestDatabase;
let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  database = await createTestDatabase({ queryTimeoutMs: TIMEOUT_MS });
  services = await createTestServices({ database, jobStats: { auto: false } });
  app = createApp(services);
});
afterAll(async () => {
  await services.close();
  await database.close();
});

/** Ended jobs per day: on Postgres enough that recounting them takes far past the timeout. */
const PER_DAY = process.env.APF_TEST_DATABASE_URL ? 40_000 : 500;

describe("PATCH /api/orgs/{orgId} with a new time zone", () => {
  it("commits at once whatever the history, and the reports follow once regrouped", async () => {
    const team = await createTeam(services, "Long history farm");
    const org = team.organization.id;
    const other = await createTeam(services, "Bystander farm");
    const printer = await createPrinter(services.db, org, { name: "P1" });
    // Jobs ending at 02:00 UTC on the 20th, 21st and 22nd: 21:00 the day before in New York.
    // Seeded on the connection without the timeout, as history accumulates over months.
    await services.maintenanceDb.execute(sql`insert into jobs (organization_id, printer_id, status,
        number_of_units, file_name, time_started, time_completed)
      select ${org}::uuid, ${printer.id}::uuid, 'completed', 1, 'part.gcode',
        t - interval '1 hour', t
      from (select timestamptz '2026-11-20 02:00:00+00' + (g % 3) * interval '1 day' as t
        from generate_series(1, ${PER_DAY * 3}) g) x`);
    await createJob(services.db, other.organization.id, {
      status: "completed",
      timeCompleted: new Date("2026-11-20T02:00:00Z"),
    });
    const path = `/api/orgs/${org}`;
    const production = (p: string, token: string) =>
      call(app, "GET", `${p}/analytics/production?from=2026-11-18&to=2026-11-22`, { token });
    const completedByDay = (res: Awaited<ReturnType<typeof production>>) =>
      dataOf(res, "dashboardProductionAnalytics").daily.map((d) => [d.date, d.jobs_completed]);
    expect(completedByDay(await production(path, team.member.token))).toEqual([
      ["2026-11-18", 0],
      ["2026-11-19", 0],
      ["2026-11-20", PER_DAY],
      ["2026-11-21", PER_DAY],
      ["2026-11-22", PER_DAY],
    ]);
    if (database.url) {
      // What the time-zone change used to run inside its own statement: past the timeout.
      await expect(
        services.db.execute(sql`select apf_rebuild_job_stats(${org}::uuid)`),
      ).rejects.toThrow();
    }

    const patched = await call(app, "PATCH", path, {
      token: team.owner.token,
      body: { time_zone: "America/New_York" },
    });
    expect(patched.status).toBe(200);
    expect(dataOf(patched, "dashboardUpdateOrganization").time_zone).toBe("America/New_York");

    // Regrouping: the reports read from the rollups refuse, saying so, on both surfaces.
    const refused = await production(path, team.member.token);
    expect(refused.status).toBe(503);
    expect(failure(refused).code).toBe("ANALYTICS_REGROUPING");
    expect(refused.headers.get("retry-after")).toBe("5");
    const key = await createApiKey(services.db, org);
    for (const report of ["production", "printers", "failures", "inventory"]) {
      const res = await publicCall(app, `/public/v1/analytics/${report}`, { key: key.key });
      expect(res.status, report).toBe(503);
      expect(res.headers.get("retry-after"), report).toBe("5");
      expect(((await res.json()) as { code: string }).code, report).toBe("ANALYTICS_REGROUPING");
    }
    // What is read from the jobs themselves still answers; and other organizations' reports.
    const overview = await publicCall(app, "/public/v1/analytics/overview", { key: key.key });
    expect(overview.status).toBe(200);
    expect(
      completedByDay(await production(`/api/orgs/${other.organization.id}`, other.member.token)),
    ).toContainEqual(["2026-11-20", 1]);

    // A job that ends while the rollups wait: 03:00 UTC on the 22nd, 22:00 on the 21st there.
    await createJob(services.db, org, {
      status: "completed",
      printerId: printer.id,
      numberOfUnits: 1,
      timeStarted: new Date("2026-11-22T02:00:00Z"),
      timeCompleted: new Date("2026-11-22T03:00:00Z"),
    });
    await services.jobStats.regroupOnce();

    const regrouped = await production(path, team.member.token);
    expect(dataOf(regrouped, "dashboardProductionAnalytics").date_range.time_zone).toBe(
      "America/New_York",
    );
    expect(completedByDay(regrouped)).toEqual([
      ["2026-11-18", 0],
      ["2026-11-19", PER_DAY],
      ["2026-11-20", PER_DAY],
      ["2026-11-21", PER_DAY + 1],
      ["2026-11-22", 0],
    ]);
    // The other organization's figures never moved.
    expect(
      completedByDay(await production(`/api/orgs/${other.organization.id}`, other.member.token)),
    ).toContainEqual(["2026-11-20", 1]);
  }, 120_000);
});

describe("two API instances", () => {
  it("both regrouping at once count each job once, in the new zone", async () => {
    const second = await createTestServices({ database, jobStats: { auto: false } });
    try {
      const team = await createTeam(services, "Two instances farm");
      const org = team.organization.id;
      const printer = await createPrinter(services.db, org, { name: "P1" });
      const end = async (iso: string) =>
        createJob(services.db, org, {
          status: "completed",
          printerId: printer.id,
          numberOfUnits: 1,
          timeStarted: new Date(Date.parse(iso) - 3_600_000),
          timeCompleted: new Date(iso),
        });
      await end("2026-11-20T02:00:00Z");
      await end("2026-11-20T12:00:00Z");
      const patched = await call(app, "PATCH", `/api/orgs/${org}`, {
        token: team.owner.token,
        body: { time_zone: "America/New_York" },
      });
      expect(patched.status).toBe(200);
      await end("2026-11-21T02:30:00Z");
      // Each instance's pass, at once: one regroups, the other skips or finds nothing to do.
      await Promise.all([services.jobStats.regroupOnce(), second.jobStats.regroupOnce()]);
      const res = await call(
        createApp(second),
        "GET",
        `/api/orgs/${org}/analytics/production?from=2026-11-19&to=2026-11-21`,
        { token: team.member.token },
      );
      expect(
        dataOf(res, "dashboardProductionAnalytics").daily.map((d) => [d.date, d.jobs_completed]),
      ).toEqual([
        ["2026-11-19", 1],
        ["2026-11-20", 2],
        ["2026-11-21", 0],
      ]);
    } finally {
      await second.close();
    }
  });
});
