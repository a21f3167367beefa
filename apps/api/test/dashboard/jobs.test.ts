import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
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
    expect(all.body.meta).toEqual({ limit: 2, offset: 0, count: 3 });
    expect(all.body.data.map((j: { id: string }) => j.id)).toEqual([other.id, mid.id]);
    expect(all.body.data[0]).toMatchObject({ printer_id: b.id, status: "completed" });

    const next = await call(app, "GET", `/api/orgs/${org}/jobs?limit=2&offset=2`, {
      token: team.member.token,
    });
    expect(next.body.data.map((j: { id: string }) => j.id)).toEqual([old.id]);

    const done = await call(
      app,
      "GET",
      `/api/orgs/${org}/jobs?status=completed&printer_id=${a.id}`,
      {
        token: team.owner.token,
      },
    );
    expect(done.body.data.map((j: { id: string }) => j.id)).toEqual([old.id]);
    expect(done.body.meta.count).toBe(1);
  });

  it("names the parameter that is wrong", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const status = await call(app, "GET", `/api/orgs/${org}/jobs?status=lost`, {
      token: team.owner.token,
    });
    expect(status.status).toBe(400);
    expect(status.body.error).toMatch(/^Invalid query parameter "status"/);
    const printer = await call(app, "GET", `/api/orgs/${org}/jobs?printer_id=x`, {
      token: team.owner.token,
    });
    expect(printer.status).toBe(400);
    expect(printer.body.error).toMatch(/"printer_id"/);
    const limit = await call(app, "GET", `/api/orgs/${org}/jobs?limit=101`, {
      token: team.owner.token,
    });
    expect(limit.status).toBe(400);
    expect(limit.body.error).toMatch(/"limit"/);
  });
});
