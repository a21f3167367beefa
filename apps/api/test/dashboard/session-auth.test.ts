import { mintToken, SESSION_ABSOLUTE_TTL_MS, SESSION_IDLE_TTL_MS } from "@apf/auth";
import { sessions } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, TestClock, type TestServices } from "../support/services.ts";

let services: TestServices;
let clock: TestClock;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  clock = new TestClock();
  services = await createTestServices({ clock });
  app = createApp(services);
});
afterAll(() => services.close());

const HOUR = 60 * 60 * 1000;

function withCookie(token: string, headers: Record<string, string> = {}) {
  return { cookie: `apf_session=${token}`, ...headers };
}

describe("session-auth", () => {
  it("answers 401 UNAUTHORIZED without a credential, or with a non-Bearer one", async () => {
    const none = await call(app, "GET", "/api/me");
    expect(none.status).toBe(401);
    expect(failure(none).code).toBe("UNAUTHORIZED");
    const basic = await call(app, "GET", "/api/me", { headers: { authorization: "Basic dTpw" } });
    expect(basic.status).toBe(401);
    expect(failure(basic).code).toBe("UNAUTHORIZED");
  });

  it("answers 401 TOKEN_INVALID for a malformed token, an API key, and an unknown session", async () => {
    const good = mintToken("sess").token;
    const badChecksum = `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`;
    for (const token of [
      badChecksum,
      good.toUpperCase(),
      "apf_sess_123",
      mintToken("live").token,
      good,
    ]) {
      const res = await call(app, "GET", "/api/me", { token });
      expect(res.status, token).toBe(401);
      expect(failure(res).code, token).toBe("TOKEN_INVALID");
      expect(res.text).not.toContain(token);
    }
  });

  it("accepts the session as Bearer token or as cookie", async () => {
    const team = await createTeam(services);
    expect((await call(app, "GET", "/api/me", { token: team.owner.token })).status).toBe(200);
    const viaCookie = await call(app, "GET", "/api/me", { headers: withCookie(team.owner.token) });
    expect(viaCookie.status).toBe(200);
    expect(dataOf(viaCookie, "dashboardGetMe").user.id).toBe(team.owner.user.id);
  });

  it("prefers the Authorization header over the cookie", async () => {
    const team = await createTeam(services);
    const res = await call(app, "GET", "/api/me", {
      token: team.member.token,
      headers: withCookie(team.owner.token),
    });
    expect(dataOf(res, "dashboardGetMe").user.id).toBe(team.member.user.id);
  });

  it("expires a session idle for 7 days with TOKEN_EXPIRED", async () => {
    const team = await createTeam(services);
    clock.advance(SESSION_IDLE_TTL_MS);
    try {
      const res = await call(app, "GET", "/api/me", { token: team.owner.token });
      expect(res.status).toBe(401);
      expect(failure(res).code).toBe("TOKEN_EXPIRED");
    } finally {
      clock.advance(-SESSION_IDLE_TTL_MS);
    }
  });

  it("slides the expiry of a used session, writing at most hourly", async () => {
    const start = clock.now();
    const team = await createTeam(services);
    const read = async () =>
      (
        await services.db.select().from(sessions).where(eq(sessions.userId, team.owner.user.id))
      )[0]!;
    const before = await read();

    clock.advance(30 * 60 * 1000);
    await call(app, "GET", "/api/me", { token: team.owner.token });
    expect((await read()).expiresAt).toEqual(before.expiresAt);

    clock.advance(6 * 24 * HOUR);
    const used = await call(app, "GET", "/api/me", { token: team.owner.token });
    expect(used.status).toBe(200);
    const after = await read();
    expect(after.lastSeenAt).toEqual(clock.now());
    expect(after.expiresAt.getTime()).toBe(clock.now().getTime() + SESSION_IDLE_TTL_MS);

    // More than 7 days after sign-in, but less than 7 days after the last use.
    clock.advance(6 * 24 * HOUR);
    expect((await call(app, "GET", "/api/me", { token: team.owner.token })).status).toBe(200);
    clock.set(start);
  });

  it("ends a session 30 days after sign-in however often it is used", async () => {
    const start = clock.now();
    const team = await createTeam(services);
    try {
      // Used every 6 days: never idle for 7, so only the absolute limit can end it.
      for (let day = 6; day < 30; day += 6) {
        clock.set(new Date(start.getTime() + day * 24 * HOUR));
        const res = await call(app, "GET", "/api/me", { token: team.owner.token });
        expect(res.status, `day ${day}`).toBe(200);
      }
      const [row] = await services.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, team.owner.user.id));
      expect(row!.expiresAt.getTime()).toBe(start.getTime() + SESSION_ABSOLUTE_TTL_MS);

      clock.set(new Date(start.getTime() + SESSION_ABSOLUTE_TTL_MS - 1));
      expect((await call(app, "GET", "/api/me", { token: team.owner.token })).status).toBe(200);
      clock.set(new Date(start.getTime() + SESSION_ABSOLUTE_TTL_MS));
      const res = await call(app, "GET", "/api/me", { token: team.owner.token });
      expect(res.status).toBe(401);
      expect(failure(res).code).toBe("TOKEN_EXPIRED");
    } finally {
      clock.set(start);
    }
  });

  it("ends a session stored with a later expiry at 30 days after sign-in all the same", async () => {
    const start = clock.now();
    const team = await createTeam(services);
    await services.db
      .update(sessions)
      .set({ expiresAt: new Date(start.getTime() + 90 * 24 * HOUR) })
      .where(eq(sessions.userId, team.owner.user.id));
    clock.set(new Date(start.getTime() + SESSION_ABSOLUTE_TTL_MS + HOUR));
    try {
      const res = await call(app, "GET", "/api/me", { token: team.owner.token });
      expect(failure(res).code).toBe("TOKEN_EXPIRED");
    } finally {
      clock.set(start);
    }
  });

  it("renews the cookie when it slides a cookie session", async () => {
    const start = clock.now();
    const team = await createTeam(services);
    clock.advance(2 * HOUR);
    const res = await call(app, "GET", "/api/me", { headers: withCookie(team.owner.token) });
    expect(res.headers.get("set-cookie")).toContain("Max-Age=604800");
    clock.set(start);
  });

  it("gives the renewed cookie the session's real lifetime: never past 30 days after sign-in", async () => {
    const start = clock.now();
    const team = await createTeam(services);
    try {
      // Used every 6 days, the session lives on to its absolute end.
      for (const day of [6, 12, 18, 24, 28]) {
        clock.set(new Date(start.getTime() + day * 24 * HOUR));
        const res = await call(app, "GET", "/api/me", { headers: withCookie(team.owner.token) });
        expect(res.status).toBe(200);
        // 7 days, or what is left of the 30 (6 days on day 24, 2 on day 28): the browser
        // forgets the cookie when the session ends.
        const days = Math.min(7, 30 - day);
        expect(res.headers.get("set-cookie")).toContain(`Max-Age=${days * 24 * 60 * 60};`);
      }
    } finally {
      clock.set(start);
    }
  });
});

describe("CSRF rules for cookie sessions", () => {
  const write = (orgId: string, headers: Record<string, string>) =>
    call(app, "POST", `/api/orgs/${orgId}/agents`, { body: { name: "edge" }, headers });

  it("refuses a cookie-authenticated write that proves no origin", async () => {
    const team = await createTeam(services);
    const res = await write(team.organization.id, withCookie(team.owner.token));
    expect(res.status).toBe(403);
    expect(failure(res).code).toBe("FORBIDDEN");
  });

  it("refuses a cookie-authenticated write from another origin", async () => {
    const team = await createTeam(services);
    const res = await write(
      team.organization.id,
      withCookie(team.owner.token, {
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      }),
    );
    expect(res.status).toBe(403);
  });

  it("refuses a cookie-authenticated write from a sibling site (same-site is not same-origin)", async () => {
    const team = await createTeam(services);
    const res = await write(
      team.organization.id,
      withCookie(team.owner.token, {
        origin: "http://evil.localhost",
        "sec-fetch-site": "same-site",
      }),
    );
    expect(res.status).toBe(403);
  });

  it("accepts a cookie-authenticated write with our Origin or Sec-Fetch-Site: same-origin", async () => {
    const team = await createTeam(services);
    const byOrigin = await write(
      team.organization.id,
      withCookie(team.owner.token, { origin: "http://localhost" }),
    );
    expect(byOrigin.status).toBe(201);
    const byFetchSite = await write(
      team.organization.id,
      withCookie(team.owner.token, { "sec-fetch-site": "same-origin" }),
    );
    expect(byFetchSite.status).toBe(201);
  });

  it("lets cookie-authenticated reads through without origin headers", async () => {
    const team = await createTeam(services);
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/agents`, {
      headers: withCookie(team.owner.token),
    });
    expect(res.status).toBe(200);
  });

  it("exempts Bearer requests: no browser sends that header cross-site on its own", async () => {
    const team = await createTeam(services);
    const res = await call(app, "POST", `/api/orgs/${team.organization.id}/agents`, {
      token: team.owner.token,
      body: { name: "edge" },
      headers: { origin: "https://scripts.example" },
    });
    expect(res.status).toBe(201);
  });

  it("applies to logout by cookie too", async () => {
    const team = await createTeam(services);
    const res = await call(app, "POST", "/api/auth/logout", {
      headers: withCookie(team.owner.token),
    });
    expect(res.status).toBe(403);
    expect((await call(app, "GET", "/api/me", { token: team.owner.token })).status).toBe(200);
  });
});
