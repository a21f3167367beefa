import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("GET /api/orgs/{orgId}", () => {
  it("shows the organization and its settings to any member", async () => {
    const team = await createTeam(services, "Gear Works");
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}`, {
      token: team.member.token,
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardGetOrganization")).toEqual({
      id: team.organization.id,
      name: "Gear Works",
      allowed_origins: [],
      time_zone: "UTC",
      auto_start: false,
      start_spacing_seconds: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it("sets the queue settings (auto_start, start_spacing_seconds) and names a bad value", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}`;
    const res = await call(app, "PATCH", path, {
      token: team.admin.token,
      body: { auto_start: true, start_spacing_seconds: 90 },
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdateOrganization")).toMatchObject({
      auto_start: true,
      start_spacing_seconds: 90,
    });
    const read = await call(app, "GET", path, { token: team.member.token });
    expect(dataOf(read, "dashboardGetOrganization")).toMatchObject({
      auto_start: true,
      start_spacing_seconds: 90,
    });
    const bad = await call(app, "PATCH", path, {
      token: team.owner.token,
      body: { start_spacing_seconds: 3601 },
    });
    expect(bad.status).toBe(400);
    expect(failure(bad).error).toContain("start_spacing_seconds");
    const member = await call(app, "PATCH", path, {
      token: team.member.token,
      body: { auto_start: false },
    });
    expect(member.status).toBe(403);
  });

  it("answers 404 to someone outside the organization, for real and made-up ids alike", async () => {
    const team = await createTeam(services);
    const stranger = await createTeam(services);
    for (const id of [team.organization.id, randomUUID(), "not-a-uuid"]) {
      const res = await call(app, "GET", `/api/orgs/${id}`, { token: stranger.owner.token });
      expect(res.status, id).toBe(404);
      expect(failure(res).code).toBe("NOT_FOUND");
    }
  });
});

describe("PATCH /api/orgs/{orgId}", () => {
  it("sets the time zone analytics count days in; the dashboard's reports follow it", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}`;
    const res = await call(app, "PATCH", path, {
      token: team.owner.token,
      body: { time_zone: "Pacific/Auckland" },
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdateOrganization").time_zone).toBe("Pacific/Auckland");
    expect(
      dataOf(await call(app, "GET", path, { token: team.member.token }), "dashboardGetOrganization")
        .time_zone,
    ).toBe("Pacific/Auckland");
    // The rollups are regrouped in the background (time-zone-regroup.test.ts): at once here.
    await services.jobStats.regroupOnce();
    // The fixed test clock reads 2026-11-23T10:00Z: already the 23rd, 23:00, in Auckland.
    const report = await call(app, "GET", `${path}/analytics/production?from=2026-11-20`, {
      token: team.member.token,
    });
    expect(report.status).toBe(200);
    expect(dataOf(report, "dashboardProductionAnalytics").date_range).toEqual({
      from: "2026-11-20",
      to: "2026-11-23",
      time_zone: "Pacific/Auckland",
    });
    expect(dataOf(report, "dashboardProductionAnalytics").daily.map((d) => d.date)).toEqual([
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
      "2026-11-23",
    ]);
  });

  it.each(["Mars/Olympus_Mons", "+05:00", "", "Europe/Berlin; drop table"])(
    "answers 400 naming time_zone for %j",
    async (zone) => {
      const team = await createTeam(services);
      const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
        token: team.owner.token,
        body: { time_zone: zone },
      });
      expect(res.status).toBe(400);
      expect(failure(res).code).toBe("INVALID_REQUEST");
      expect(failure(res).error).toContain("time_zone");
    },
  );

  it("answers 400 naming the window's parameter on the dashboard's reports too", async () => {
    const team = await createTeam(services);
    const res = await call(
      app,
      "GET",
      `/api/orgs/${team.organization.id}/analytics/failures?from=2026-11-23&to=2026-11-01`,
      { token: team.member.token },
    );
    expect(res.status).toBe(400);
    expect(failure(res).error).toContain('"from"');
  });

  it("renames the organization and sets allowed origins (admin), with an audit event", async () => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.admin.token,
      body: {
        name: "Renamed Farm",
        allowed_origins: [
          "https://app.example.com",
          "http://localhost:3000",
          "https://app.example.com",
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdateOrganization").name).toBe("Renamed Farm");
    expect(dataOf(res, "dashboardUpdateOrganization").allowed_origins).toEqual([
      "https://app.example.com",
      "http://localhost:3000",
    ]);
    const again = await call(app, "GET", `/api/orgs/${team.organization.id}`, {
      token: team.member.token,
    });
    expect(dataOf(again, "dashboardGetOrganization").allowed_origins).toEqual([
      "https://app.example.com",
      "http://localhost:3000",
    ]);

    const audit = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    expect(dataOf(audit, "dashboardListAuditEvents")[0]).toMatchObject({
      action: "organization.updated",
      actor: { type: "user", id: team.admin.user.id },
      target: { type: "organization", id: team.organization.id },
    });
  });

  it('accepts ["*"] alone', async () => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.owner.token,
      body: { allowed_origins: ["*"] },
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdateOrganization").allowed_origins).toEqual(["*"]);
  });

  it.each([
    [
      "a path",
      ["https://ok.example.com", "https://app.example.com/dashboard"],
      "allowed_origins.1",
    ],
    ["a trailing slash", ["https://app.example.com/"], "allowed_origins.0"],
    ["another scheme", ["ftp://files.example.com"], "allowed_origins.0"],
    ["upper case", ["https://App.Example.com"], "allowed_origins.0"],
    ["no scheme", ["app.example.com"], "allowed_origins.0"],
    ["* with others", ["*", "https://app.example.com"], "allowed_origins.0"],
    ["a wildcard host pattern", ["https://*.example.com"], "allowed_origins.0"],
    [
      "a partial wildcard host",
      ["https://ok.example.com", "https://app*.example.com"],
      "allowed_origins.1",
    ],
  ])("answers 400 naming the entry for %s", async (_, origins, field) => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.owner.token,
      body: { allowed_origins: origins },
    });
    expect(res.status).toBe(400);
    expect(failure(res).code).toBe("INVALID_REQUEST");
    expect(failure(res).error).toContain(field);
  });

  it("names the offending origin in the message", async () => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.owner.token,
      body: { allowed_origins: ["https://app.example.com/x"] },
    });
    expect(failure(res).error).toContain('"https://app.example.com/x"');
    expect(failure(res).error).toContain('did you mean "https://app.example.com"');
  });

  it.each([
    ["an empty body", {}],
    ["an empty name", { name: "   " }],
    ["an unknown field", { plan: "enterprise" }],
  ])("answers 400 for %s", async (_, body) => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.owner.token,
      body,
    });
    expect(res.status).toBe(400);
  });

  it("answers 403 to a member, before looking at the body", async () => {
    const team = await createTeam(services);
    const res = await call(app, "PATCH", `/api/orgs/${team.organization.id}`, {
      token: team.member.token,
      body: { allowed_origins: ["not an origin"] },
    });
    expect(res.status).toBe(403);
    expect(failure(res).code).toBe("FORBIDDEN");
  });
});
