import { createHash, randomUUID } from "node:crypto";
import zlib from "node:zlib";
import { apiKeys } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, TestClock, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
const clock = new TestClock();

beforeAll(async () => {
  services = await createTestServices({ clock });
  app = createApp(services);
});
afterAll(() => services.close());

const crc32 = zlib.crc32;

function mint(orgId: string, token: string, body: Record<string, unknown>) {
  return call(app, "POST", `/api/orgs/${orgId}/api-keys`, { token, body });
}

describe("POST /api/orgs/{orgId}/api-keys", () => {
  it("mints an apf_live_ key whose checksum verifies, shown once with its metadata", async () => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.admin.token, {
      name: "Grafana",
      scopes: ["printers:read", "jobs:read", "printers:read"],
      expires_at: "2027-06-01T00:00:00+02:00",
      rate_limit_per_minute: 600,
    });
    expect(res.status).toBe(201);
    const { key, ...rest } = dataOf(res, "dashboardCreateApiKey");
    expect(key).toMatch(/\bapf_live_[0-9a-f]{64}\b/);
    const body = key.slice("apf_live_".length);
    const expected = crc32(`apf_live_${body.slice(0, 56)}`)
      .toString(16)
      .padStart(8, "0");
    expect(body.slice(56)).toBe(expected);
    expect(rest).toEqual({
      id: expect.any(String),
      preview: `apf_live_${body.slice(0, 4)}…${body.slice(-4)}`,
      name: "Grafana",
      scopes: ["printers:read", "jobs:read"],
      expires_at: "2027-05-31T22:00:00.000Z",
      rate_limit_per_minute: 600,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it("accepts AutoPrintFarm's broad scopes and the write and control scopes, as written", async () => {
    const team = await createTeam(services);
    const scopes = [
      "read",
      "write",
      "control",
      "printers:write",
      "inventory:write",
      "printers:control",
    ];
    const res = await mint(team.organization.id, team.owner.token, { name: "Broad", scopes });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardCreateApiKey").scopes).toEqual(scopes);
    const me = await app.request("/public/v1/me", {
      headers: { Authorization: `Bearer ${dataOf(res, "dashboardCreateApiKey").key}` },
    });
    expect((await me.json()).data.key.scopes).toEqual(scopes);
  });

  it("stores only the SHA-256 of the key and its preview", async () => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.owner.token, {
      name: "k",
      scopes: ["jobs:read"],
    });
    const key: string = dataOf(res, "dashboardCreateApiKey").key;
    const [row] = await services.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, dataOf(res, "dashboardCreateApiKey").id));
    expect(row!.keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(key.slice("apf_live_".length));
  });

  it.each([
    ["Cyrillic and emoji", "Ключ 🔑 для 東京"],
    ["100 emoji", "🚀".repeat(100)],
  ])("accepts a name in any script: %s", async (_, name) => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.owner.token, { name, scopes: ["jobs:read"] });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardCreateApiKey").name).toBe(name);
  });

  it.each([
    ["an unknown scope", { name: "k", scopes: ["jobs:delete"] }, "scopes.0"],
    ["empty scopes", { name: "k", scopes: [] }, "scopes"],
    ["missing scopes", { name: "k" }, "scopes"],
    ["an empty name", { name: "", scopes: ["jobs:read"] }, "name"],
    ["a 101-character name", { name: "x".repeat(101), scopes: ["jobs:read"] }, "name"],
    ["a control character in the name", { name: "a\u0000b", scopes: ["jobs:read"] }, "name"],
    [
      "a past expires_at",
      { name: "k", scopes: ["jobs:read"], expires_at: "2026-11-23T09:59:59Z" },
      "expires_at",
    ],
    [
      "expires_at now",
      { name: "k", scopes: ["jobs:read"], expires_at: "2026-11-23T10:00:00Z" },
      "expires_at",
    ],
    [
      "a date without time",
      { name: "k", scopes: ["jobs:read"], expires_at: "2027-01-01" },
      "expires_at",
    ],
    [
      "a budget of 0",
      { name: "k", scopes: ["jobs:read"], rate_limit_per_minute: 0 },
      "rate_limit_per_minute",
    ],
    [
      "a budget of 10001",
      { name: "k", scopes: ["jobs:read"], rate_limit_per_minute: 10001 },
      "rate_limit_per_minute",
    ],
    [
      "a fractional budget",
      { name: "k", scopes: ["jobs:read"], rate_limit_per_minute: 1.5 },
      "rate_limit_per_minute",
    ],
  ])("answers 400 INVALID_REQUEST naming the field for %s", async (_, body, field) => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.owner.token, body);
    expect(res.status).toBe(400);
    expect(failure(res).code).toBe("INVALID_REQUEST");
    expect(failure(res).error).toContain(field);
  });

  it("compares expires_at with the service clock", async () => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.owner.token, {
      name: "k",
      scopes: ["jobs:read"],
      expires_at: "2026-11-23T10:00:01Z",
    });
    expect(res.status).toBe(201);
  });

  it("answers 403 FORBIDDEN to a member", async () => {
    const team = await createTeam(services);
    const res = await mint(team.organization.id, team.member.token, {
      name: "k",
      scopes: ["jobs:read"],
    });
    expect(res.status).toBe(403);
    expect(failure(res).code).toBe("FORBIDDEN");
  });
});

describe("GET /api/orgs/{orgId}/api-keys", () => {
  it("lists keys with preview and creator, never the key, to any member", async () => {
    const team = await createTeam(services);
    const minted = await mint(team.organization.id, team.admin.token, {
      name: "CI",
      scopes: ["inventory:read"],
      rate_limit_per_minute: 30,
    });
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/api-keys`, {
      token: team.member.token,
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardListApiKeys")).toEqual([
      {
        id: dataOf(minted, "dashboardCreateApiKey").id,
        preview: dataOf(minted, "dashboardCreateApiKey").preview,
        name: "CI",
        scopes: ["inventory:read"],
        created_by: { id: team.admin.user.id, email: team.admin.user.email },
        created_at: dataOf(minted, "dashboardCreateApiKey").created_at,
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
        revoked_reason: null,
        rate_limit_per_minute: 30,
        replaced_by: null,
      },
    ]);
    expect(res.text).not.toContain(dataOf(minted, "dashboardCreateApiKey").key);
  });

  it("shows only the organization's own keys", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    await mint(other.organization.id, other.owner.token, { name: "theirs", scopes: ["jobs:read"] });
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/api-keys`, {
      token: team.owner.token,
    });
    expect(dataOf(res, "dashboardListApiKeys")).toEqual([]);
  });
});

describe("DELETE /api/orgs/{orgId}/api-keys/{keyId}", () => {
  it("revokes a key; revoking twice is harmless and keeps the first time", async () => {
    const team = await createTeam(services);
    const minted = await mint(team.organization.id, team.owner.token, {
      name: "k",
      scopes: ["jobs:read"],
    });
    const path = `/api/orgs/${team.organization.id}/api-keys/${dataOf(minted, "dashboardCreateApiKey").id}`;
    const first = await call(app, "DELETE", path, { token: team.admin.token });
    expect(first.status).toBe(200);
    expect(dataOf(first, "dashboardRevokeApiKey")).toEqual({
      id: dataOf(minted, "dashboardCreateApiKey").id,
      revoked_at: clock.now().toISOString(),
    });
    clock.advance(60_000);
    const second = await call(app, "DELETE", path, { token: team.owner.token });
    expect(second.status).toBe(200);
    expect(dataOf(second, "dashboardRevokeApiKey")).toEqual(dataOf(first, "dashboardRevokeApiKey"));
    clock.advance(-60_000);

    const list = await call(app, "GET", `/api/orgs/${team.organization.id}/api-keys`, {
      token: team.owner.token,
    });
    expect(dataOf(list, "dashboardListApiKeys")[0]!.revoked_at).toBe(
      dataOf(first, "dashboardRevokeApiKey").revoked_at,
    );
    const audit = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    const actions = dataOf(audit, "dashboardListAuditEvents").map((e) => e.action);
    expect(actions).toEqual(["api_key.revoked", "api_key.created"]);
  });

  it("answers 404 for another organization's key and for an unknown id", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await mint(other.organization.id, other.owner.token, {
      name: "k",
      scopes: ["jobs:read"],
    });
    for (const id of [dataOf(theirs, "dashboardCreateApiKey").id, randomUUID()]) {
      const res = await call(app, "DELETE", `/api/orgs/${team.organization.id}/api-keys/${id}`, {
        token: team.owner.token,
      });
      expect(res.status).toBe(404);
      expect(failure(res).code).toBe("NOT_FOUND");
    }
    const [row] = await services.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, dataOf(theirs, "dashboardCreateApiKey").id));
    expect(row!.revokedAt).toBeNull();
  });

  it("answers 403 to a member and leaves the key alone", async () => {
    const team = await createTeam(services);
    const minted = await mint(team.organization.id, team.owner.token, {
      name: "k",
      scopes: ["jobs:read"],
    });
    const res = await call(
      app,
      "DELETE",
      `/api/orgs/${team.organization.id}/api-keys/${dataOf(minted, "dashboardCreateApiKey").id}`,
      {
        token: team.member.token,
      },
    );
    expect(res.status).toBe(403);
  });
});
