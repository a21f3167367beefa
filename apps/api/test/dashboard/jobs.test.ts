import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { answer, dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createJob, createPrinter } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("GET /api/orgs/{orgId}/jobs", () => {
  it("pages the organization's jobs, newest first, filtered by status and printer", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const a = await createPrinter(services.db, org);
    const b = await createPrinter(services.db, org);
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 10, 0, s));
    const old = await createJob(services.db, org, {
      printerId: a.id,
      status: "completed",
      createdAt: at(1),
    });
    const mid = await createJob(services.db, org, {
      printerId: a.id,
      status: "printing",
      createdAt: at(2),
    });
    const other = await createJob(services.db, org, {
      printerId: b.id,
      status: "completed",
      createdAt: at(3),
    });
    await createJob(services.db, (await createTeam(services)).organization.id, {
      status: "completed",
    });

    const all = await call(app, "GET", `/api/orgs/${org}/jobs?limit=2`, {
      token: team.member.token,
    });
    expect(all.status).toBe(200);
    expect(answer(all, "dashboardListJobs").meta).toEqual({ limit: 2, offset: 0, count: 3 });
    expect(dataOf(all, "dashboardListJobs").map((j) => j.id)).toEqual([other.id, mid.id]);
    expect(dataOf(all, "dashboardListJobs")[0]).toMatchObject({
      printer_id: b.id,
      status: "completed",
    });

    const next = await call(app, "GET", `/api/orgs/${org}/jobs?limit=2&offset=2`, {
      token: team.member.token,
    });
    expect(dataOf(next, "dashboardListJobs").map((j) => j.id)).toEqual([old.id]);

    const done = await call(
      app,
      "GET",
      `/api/orgs/${org}/jobs?status=completed&printer_id=${a.id}`,
      {
        token: team.owner.token,
      },
    );
    expect(dataOf(done, "dashboardListJobs").map((j) => j.id)).toEqual([old.id]);
    expect(answer(done, "dashboardListJobs").meta.count).toBe(1);
  });

  it("names the parameter that is wrong", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const status = await call(app, "GET", `/api/orgs/${org}/jobs?status=lost`, {
      token: team.owner.token,
    });
    expect(status.status).toBe(400);
    expect(failure(status).error).toMatch(/^Invalid query parameter "status"/);
    const printer = await call(app, "GET", `/api/orgs/${org}/jobs?printer_id=x`, {
      token: team.owner.token,
    });
    expect(printer.status).toBe(400);
    expect(failure(printer).error).toMatch(/"printer_id"/);
    const limit = await call(app, "GET", `/api/orgs/${org}/jobs?limit=101`, {
      token: team.owner.token,
    });
    expect(limit.status).toBe(400);
    expect(failure(limit).error).toMatch(/"limit"/);
  });
});
