import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { answer, dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ env: { TRUST_PROXY: "x-forwarded-for" } });
  app = createApp(services);
});
afterAll(() => services.close());

describe("GET /api/orgs/{orgId}/audit-events", () => {
  it("records who did what, from where, newest first", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const headers = { "x-forwarded-for": "198.51.100.7", "user-agent": "apf-cli/1.0" };
    const agent = await call(app, "POST", `/api/orgs/${org}/agents`, {
      token: team.admin.token,
      body: { name: "a" },
      headers,
    });
    await call(app, "PATCH", `/api/orgs/${org}`, {
      token: team.owner.token,
      body: { name: "Renamed" },
      headers,
    });
    const res = await call(app, "GET", `/api/orgs/${org}/audit-events`, {
      token: team.owner.token,
    });
    expect(res.status).toBe(200);
    expect(answer(res, "dashboardListAuditEvents").meta).toEqual({
      limit: 50,
      offset: 0,
      count: 2,
    });
    expect(dataOf(res, "dashboardListAuditEvents")).toEqual([
      {
        id: expect.any(String),
        action: "organization.updated",
        actor: { type: "user", id: team.owner.user.id },
        target: { type: "organization", id: org },
        ip: "198.51.100.7",
        user_agent: "apf-cli/1.0",
        created_at: expect.stringMatching(/Z$/),
        details: { changes: { name: "Renamed" } },
      },
      {
        id: expect.any(String),
        action: "agent.created",
        actor: { type: "user", id: team.admin.user.id },
        target: { type: "agent", id: dataOf(agent, "dashboardCreateAgent").id },
        ip: "198.51.100.7",
        user_agent: "apf-cli/1.0",
        created_at: expect.stringMatching(/Z$/),
        details: { name: "a", preview: dataOf(agent, "dashboardCreateAgent").preview },
      },
    ]);
  });

  it("filters by one action or a family of actions", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const owner = { token: team.owner.token };
    await call(app, "POST", `/api/orgs/${org}/agents`, { ...owner, body: { name: "a" } });
    const key = await call(app, "POST", `/api/orgs/${org}/api-keys`, {
      ...owner,
      body: { name: "k", scopes: ["jobs:read"] },
    });
    await call(
      app,
      "DELETE",
      `/api/orgs/${org}/api-keys/${dataOf(key, "dashboardCreateApiKey").id}`,
      owner,
    );
    const actions = async (query: string) => {
      const res = await call(app, "GET", `/api/orgs/${org}/audit-events?${query}`, owner);
      expect(res.status, res.text).toBe(200);
      return {
        actions: dataOf(res, "dashboardListAuditEvents").map((e) => e.action),
        count: answer(res, "dashboardListAuditEvents").meta.count,
      };
    };
    expect(await actions("action=api_key")).toEqual({
      actions: ["api_key.revoked", "api_key.created"],
      count: 2,
    });
    expect(await actions("action=api_key.created")).toEqual({
      actions: ["api_key.created"],
      count: 1,
    });
    // "_" is a literal character, not a LIKE wildcard: "api" matches no "api_key.…" event.
    expect((await actions("action=api")).count).toBe(0);
    expect((await actions("action=agent")).actions).toEqual(["agent.created"]);
  });

  it("refuses an action filter that is not an action name", async () => {
    const team = await createTeam(services);
    const res = await call(
      app,
      "GET",
      `/api/orgs/${team.organization.id}/audit-events?action=${encodeURIComponent("api%")}`,
      { token: team.owner.token },
    );
    expect(res.status).toBe(400);
    expect(failure(res).error).toMatch(/^Invalid query parameter "action"/);
  });

  it("pages with limit and offset", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    for (let i = 0; i < 5; i++) {
      await call(app, "PATCH", `/api/orgs/${org}`, {
        token: team.owner.token,
        body: { name: `Farm ${i}` },
      });
    }
    const page = await call(app, "GET", `/api/orgs/${org}/audit-events?limit=2&offset=1`, {
      token: team.admin.token,
    });
    expect(answer(page, "dashboardListAuditEvents").meta).toEqual({
      limit: 2,
      offset: 1,
      count: 5,
    });
    expect(dataOf(page, "dashboardListAuditEvents")).toMatchObject([
      { details: { changes: { name: "Farm 3" } } },
      { details: { changes: { name: "Farm 2" } } },
    ]);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "offset=-1"])(
    "answers 400 for %s",
    async (query) => {
      const team = await createTeam(services);
      const res = await call(
        app,
        "GET",
        `/api/orgs/${team.organization.id}/audit-events?${query}`,
        {
          token: team.owner.token,
        },
      );
      expect(res.status).toBe(400);
      expect(failure(res).error).toContain(query.split("=")[0]);
    },
  );

  it("answers 403 to a member", async () => {
    const team = await createTeam(services);
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.member.token,
    });
    expect(res.status).toBe(403);
  });

  it("never shows another organization's events", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    await call(app, "POST", `/api/orgs/${other.organization.id}/agents`, {
      token: other.owner.token,
      body: { name: "x" },
    });
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    expect(dataOf(res, "dashboardListAuditEvents")).toEqual([]);
  });
});
