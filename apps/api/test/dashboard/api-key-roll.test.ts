import { auditEvents } from "@apf/db";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createApiKey } from "../support/factories.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const HOUR = 3_600_000;
const clock = () => services.clock as TestClock;

async function publicStatus(key: string) {
  const res = await app.request("/public/v1/me", { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, code: res.status === 200 ? null : (await res.json()).code };
}

async function roll(team: Awaited<ReturnType<typeof createTeam>>, keyId: string, body: unknown) {
  return call(app, "POST", `/api/orgs/${team.organization.id}/api-keys/${keyId}/roll`, {
    token: team.owner.token,
    body,
  });
}

describe("POST /api/orgs/{orgId}/api-keys/{keyId}/roll", () => {
  it("mints a key with the same name, scopes and budget, and keeps the old one working for the grace period only", async () => {
    const team = await createTeam(services);
    const old = await createApiKey(services.db, team.organization.id, {
      name: "grafana",
      scopes: ["printers:read", "jobs:read"],
      rateLimitPerMinute: 30,
    });
    const now = services.clock.now();
    const res = await roll(team, old.id, { grace_hours: 24 });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const data = dataOf(res, "dashboardRollApiKey");
    expect(data).toMatchObject({
      name: "grafana",
      scopes: ["printers:read", "jobs:read"],
      rate_limit_per_minute: 30,
      expires_at: null,
      rolled_from: { id: old.id, expires_at: new Date(now.getTime() + 24 * HOUR).toISOString() },
    });
    expect(data.key).toMatch(/^apf_live_[0-9a-f]{64}$/);
    expect(data.id).not.toBe(old.id);

    expect((await publicStatus(data.key)).status).toBe(200);
    expect((await publicStatus(old.key)).status).toBe(200);
    clock().advance(24 * HOUR + 1000);
    expect(await publicStatus(old.key)).toEqual({ status: 401, code: "TOKEN_EXPIRED" });
    expect((await publicStatus(data.key)).status).toBe(200);

    const events = await services.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, team.organization.id),
          eq(auditEvents.action, "api_key.rolled"),
        ),
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetId: old.id, actorId: team.owner.user.id });
    expect(events[0]!.details).toMatchObject({ new_key_id: data.id, grace_hours: 24 });
    expect(JSON.stringify(events)).not.toContain(data.key);
  });

  it("stops the old key at once with grace_hours 0", async () => {
    const team = await createTeam(services);
    const old = await createApiKey(services.db, team.organization.id);
    const res = await roll(team, old.id, { grace_hours: 0 });
    expect(res.status).toBe(201);
    expect(await publicStatus(old.key)).toEqual({ status: 401, code: "TOKEN_EXPIRED" });
    expect((await publicStatus(dataOf(res, "dashboardRollApiKey").key)).status).toBe(200);
  });

  it("keeps an earlier expiry of the old key, and gives the new key the old key's expiry", async () => {
    const team = await createTeam(services);
    const soon = new Date(services.clock.now().getTime() + 2 * HOUR);
    const old = await createApiKey(services.db, team.organization.id, { expiresAt: soon });
    const res = await roll(team, old.id, { grace_hours: 72 });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardRollApiKey").rolled_from.expires_at).toBe(soon.toISOString());
    expect(dataOf(res, "dashboardRollApiKey").expires_at).toBe(soon.toISOString());
  });

  it.each([
    [{ grace_hours: 73 }],
    [{ grace_hours: -1 }],
    [{ grace_hours: 1.5 }],
    [{}],
    [{ grace_hours: "2" }],
  ])("answers 400 naming grace_hours for %j", async (body) => {
    const team = await createTeam(services);
    const old = await createApiKey(services.db, team.organization.id);
    const res = await roll(team, old.id, body);
    expect(res.status).toBe(400);
    expect(failure(res).error).toContain("grace_hours");
    expect((await publicStatus(old.key)).status).toBe(200);
  });

  it("answers 409 for a revoked or expired key, 403 to a member and 404 for another organization's key", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services, "Other Farm");
    const revoked = await createApiKey(services.db, team.organization.id);
    await revokeApiKey(services.db, team.organization.id, revoked.id, services.clock.now());
    expect((await roll(team, revoked.id, { grace_hours: 1 })).status).toBe(409);
    const expired = await createApiKey(services.db, team.organization.id, {
      expiresAt: new Date(services.clock.now().getTime() - 1000),
    });
    expect((await roll(team, expired.id, { grace_hours: 1 })).status).toBe(409);

    const live = await createApiKey(services.db, team.organization.id);
    const asMember = await call(
      app,
      "POST",
      `/api/orgs/${team.organization.id}/api-keys/${live.id}/roll`,
      { token: team.member.token, body: { grace_hours: 1 } },
    );
    expect(asMember.status).toBe(403);
    const foreign = await createApiKey(services.db, other.organization.id);
    expect((await roll(team, foreign.id, { grace_hours: 1 })).status).toBe(404);
    expect((await publicStatus(foreign.key)).status).toBe(200);
    expect((await publicStatus(live.key)).status).toBe(200);
  });
});

describe("rolling again during a grace window", () => {
  it("leaves at most the current key and one old key working: a second roll ends the first old key's grace at once", async () => {
    const team = await createTeam(services);
    const k0 = await createApiKey(services.db, team.organization.id, { name: "ci" });
    const first = await roll(team, k0.id, { grace_hours: 24 });
    expect(first.status).toBe(201);
    const k1 = dataOf(first, "dashboardRollApiKey");
    const second = await roll(team, k1.id, { grace_hours: 24 });
    expect(second.status).toBe(201);
    const k2 = dataOf(second, "dashboardRollApiKey");

    expect(await publicStatus(k0.key)).toEqual({ status: 401, code: "TOKEN_EXPIRED" });
    expect((await publicStatus(k1.key)).status).toBe(200);
    expect((await publicStatus(k2.key)).status).toBe(200);
    const list = await call(app, "GET", `/api/orgs/${team.organization.id}/api-keys`, {
      token: team.owner.token,
    });
    const k0Row = dataOf(list, "dashboardListApiKeys").find((k) => k.id === k0.id);
    expect(new Date(k0Row!.expires_at!).getTime()).toBeLessThanOrEqual(
      services.clock.now().getTime(),
    );
  });

  it("refuses to roll a key that was already rolled (409 naming its replacement), so no third copy appears", async () => {
    const team = await createTeam(services);
    const k0 = await createApiKey(services.db, team.organization.id, { name: "ci" });
    const first = await roll(team, k0.id, { grace_hours: 24 });
    const again = await roll(team, k0.id, { grace_hours: 24 });
    expect(again.status).toBe(409);
    expect(failure(again).code).toBe("CONFLICT");
    expect(failure(again).error).toContain("already rolled");
    expect(failure(again).error).toContain(dataOf(first, "dashboardRollApiKey").preview);
    const list = await call(app, "GET", `/api/orgs/${team.organization.id}/api-keys`, {
      token: team.owner.token,
    });
    const listed = dataOf(list, "dashboardListApiKeys").filter((k) => k.name === "ci");
    expect(listed).toHaveLength(2);
    // The list says which key replaced the old one (the page offers it no roll), and none the new.
    const replacement = dataOf(first, "dashboardRollApiKey");
    expect(listed.find((k) => k.id === k0.id)?.replaced_by).toEqual({
      id: replacement.id,
      preview: replacement.preview,
    });
    expect(listed.find((k) => k.id === replacement.id)?.replaced_by).toBeNull();
    expect((await publicStatus(k0.key)).status).toBe(200);
  });
});
