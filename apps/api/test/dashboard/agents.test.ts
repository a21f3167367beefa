import { randomUUID } from "node:crypto";
import zlib from "node:zlib";
import { agents } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf } from "../support/dashboard-answers.ts";
import { call, createPrinter, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const crc32 = zlib.crc32;

describe("agents", () => {
  it("creates an agent with an apf_agent_ token shown once", async () => {
    const team = await createTeam(services);
    const res = await call(app, "POST", `/api/orgs/${team.organization.id}/agents`, {
      token: team.admin.token,
      body: { name: "Workshop Pi" },
    });
    expect(res.status).toBe(201);
    const { token, id, name, preview } = dataOf(res, "dashboardCreateAgent");
    expect(token).toMatch(/^apf_agent_[0-9a-f]{64}$/);
    const body = token.slice("apf_agent_".length);
    expect(body.slice(56)).toBe(
      crc32(`apf_agent_${body.slice(0, 56)}`)
        .toString(16)
        .padStart(8, "0"),
    );
    expect(name).toBe("Workshop Pi");
    expect(preview).toBe(`apf_agent_${body.slice(0, 4)}…${body.slice(-4)}`);
    const [row] = await services.db.select().from(agents).where(eq(agents.id, id));
    expect(JSON.stringify(row)).not.toContain(body);
  });

  it("lists agents with their printer count, never their token", async () => {
    const team = await createTeam(services);
    const created = await call(app, "POST", `/api/orgs/${team.organization.id}/agents`, {
      token: team.owner.token,
      body: { name: "Rack 1" },
    });
    await createPrinter(services.db, team.organization.id, {
      agentId: dataOf(created, "dashboardCreateAgent").id,
    });
    await createPrinter(services.db, team.organization.id, {
      agentId: dataOf(created, "dashboardCreateAgent").id,
    });
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/agents`, {
      token: team.member.token,
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardListAgents")).toEqual([
      {
        id: dataOf(created, "dashboardCreateAgent").id,
        name: "Rack 1",
        preview: dataOf(created, "dashboardCreateAgent").preview,
        created_at: dataOf(created, "dashboardCreateAgent").created_at,
        last_seen_at: null,
        revoked_at: null,
        revoked_reason: null,
        printer_count: 2,
      },
    ]);
    expect(res.text).not.toContain(dataOf(created, "dashboardCreateAgent").token);
  });

  it("revokes an agent immediately; twice is harmless", async () => {
    const team = await createTeam(services);
    const created = await call(app, "POST", `/api/orgs/${team.organization.id}/agents`, {
      token: team.owner.token,
      body: { name: "Rack 2" },
    });
    const path = `/api/orgs/${team.organization.id}/agents/${dataOf(created, "dashboardCreateAgent").id}`;
    const res = await call(app, "DELETE", path, { token: team.admin.token });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardRevokeAgent")).toEqual({
      id: dataOf(created, "dashboardCreateAgent").id,
      revoked_at: expect.any(String),
    });
    const [row] = await services.db
      .select()
      .from(agents)
      .where(eq(agents.id, dataOf(created, "dashboardCreateAgent").id));
    expect(row!.revokedAt).not.toBeNull();
    const again = await call(app, "DELETE", path, { token: team.admin.token });
    expect(dataOf(again, "dashboardRevokeAgent")).toEqual(dataOf(res, "dashboardRevokeAgent"));
    const audit = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    expect(dataOf(audit, "dashboardListAuditEvents").map((e) => e.action)).toEqual([
      "agent.revoked",
      "agent.created",
    ]);
  });

  it("answers 404 for another organization's agent", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await call(app, "POST", `/api/orgs/${other.organization.id}/agents`, {
      token: other.owner.token,
      body: { name: "theirs" },
    });
    for (const id of [dataOf(theirs, "dashboardCreateAgent").id, randomUUID()]) {
      const res = await call(app, "DELETE", `/api/orgs/${team.organization.id}/agents/${id}`, {
        token: team.owner.token,
      });
      expect(res.status).toBe(404);
    }
  });

  it("answers 400 for a missing or over-long name, 403 for a member", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}/agents`;
    expect((await call(app, "POST", path, { token: team.owner.token, body: {} })).status).toBe(400);
    const long = await call(app, "POST", path, {
      token: team.owner.token,
      body: { name: "x".repeat(101) },
    });
    expect(long.status).toBe(400);
    const member = await call(app, "POST", path, { token: team.member.token, body: { name: "x" } });
    expect(member.status).toBe(403);
  });
});
