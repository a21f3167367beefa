import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ env: { TRUST_PROXY: "x-forwarded-for" } });
  app = createApp(services);
});
afterAll(() => services.close());

const PASSWORD = "a long enough passphrase";
const freshIp = () => `198.51.100.${randomBytes(3).toString("hex")}`;

/** A signed-up user with `count` sessions, each opened from its own address and browser. */
async function userWithSessions(count: number) {
  const email = `s-${randomBytes(5).toString("hex")}@example.test`;
  const first = await call(app, "POST", "/api/auth/signup", {
    body: { email, password: PASSWORD, organization_name: "Farm" },
    headers: { "x-forwarded-for": freshIp(), "user-agent": "browser-0" },
  });
  expect(first.status).toBe(201);
  const tokens = [dataOf(first, "dashboardSignup").session_token];
  for (let i = 1; i < count; i++) {
    const res = await call(app, "POST", "/api/auth/login", {
      body: { email, password: PASSWORD },
      headers: { "x-forwarded-for": freshIp(), "user-agent": `browser-${i}` },
    });
    expect(res.status).toBe(200);
    tokens.push(dataOf(res, "dashboardLogin").session_token);
  }
  return { email, tokens };
}

const me = (token: string) => call(app, "GET", "/api/me", { token });
const changePassword = (token: string, body: object) =>
  call(app, "POST", "/api/auth/password", {
    token,
    body,
    headers: { "x-forwarded-for": freshIp() },
  });

describe("GET /api/auth/sessions", () => {
  it("lists the user's live sessions with which one is current, never a token or hash", async () => {
    const { tokens } = await userWithSessions(3);
    await call(app, "POST", "/api/auth/logout", { token: tokens[2] });
    const res = await call(app, "GET", "/api/auth/sessions", { token: tokens[1] });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardListSessions")).toHaveLength(2);
    const current = dataOf(res, "dashboardListSessions").filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ user_agent: "browser-1", ip: expect.any(String) });
    expect(Object.keys(dataOf(res, "dashboardListSessions")[0]!).sort()).toEqual(
      ["created_at", "current", "expires_at", "id", "ip", "last_used_at", "user_agent"].sort(),
    );
    for (const token of tokens) expect(res.text).not.toContain(token.slice(9));
    expect(res.text).not.toContain("hash");
  });

  it("shows nobody else's sessions", async () => {
    const a = await userWithSessions(1);
    const b = await userWithSessions(2);
    const res = await call(app, "GET", "/api/auth/sessions", { token: a.tokens[0] });
    expect(dataOf(res, "dashboardListSessions")).toHaveLength(1);
    expect(b.tokens).toHaveLength(2);
  });
});

describe("DELETE /api/auth/sessions", () => {
  it("ends every session but the current one, and audits it", async () => {
    const { tokens } = await userWithSessions(3);
    const res = await call(app, "DELETE", "/api/auth/sessions", { token: tokens[0] });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardEndOtherSessions")).toEqual({ sessions_ended: 2 });
    expect((await me(tokens[0]!)).status).toBe(200);
    for (const token of tokens.slice(1)) {
      const other = await me(token);
      expect(other.status).toBe(401);
      expect(failure(other).code).toBe("TOKEN_REVOKED");
    }
    const list = await call(app, "GET", "/api/auth/sessions", { token: tokens[0] });
    expect(dataOf(list, "dashboardListSessions")).toHaveLength(1);
  });
});

describe("POST /api/auth/password", () => {
  it("changes the password and ends every other session, with an audit event", async () => {
    const { email, tokens } = await userWithSessions(3);
    const res = await changePassword(tokens[0]!, {
      current_password: PASSWORD,
      new_password: "another long passphrase",
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardChangePassword")).toEqual({ changed: true, sessions_ended: 2 });
    expect((await me(tokens[0]!)).status).toBe(200);
    expect((await me(tokens[1]!)).status).toBe(401);
    expect((await me(tokens[2]!)).status).toBe(401);

    const login = (password: string) =>
      call(app, "POST", "/api/auth/login", {
        body: { email, password },
        headers: { "x-forwarded-for": freshIp() },
      });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login("another long passphrase")).status).toBe(200);

    const memberships = dataOf(await me(tokens[0]!), "dashboardGetMe").memberships;
    const audit = await call(
      app,
      "GET",
      `/api/orgs/${memberships[0]!.organization.id}/audit-events`,
      { token: tokens[0] },
    );
    const changed = dataOf(audit, "dashboardListAuditEvents").filter(
      (e) => e.action === "auth.password_changed",
    );
    expect(changed).toHaveLength(1);
    expect(JSON.stringify(changed)).not.toContain("another long passphrase");
  });

  it("refuses a wrong current password with 401 INVALID_CREDENTIALS, changing nothing", async () => {
    const { tokens } = await userWithSessions(2);
    const res = await changePassword(tokens[0]!, {
      current_password: "not the password at all",
      new_password: "another long passphrase",
    });
    expect(res.status).toBe(401);
    expect(failure(res).code).toBe("INVALID_CREDENTIALS");
    expect(failure(res).error).toContain("current_password");
    expect((await me(tokens[1]!)).status).toBe(200);
  });

  it("holds the new password to the password policy, naming new_password", async () => {
    const { tokens } = await userWithSessions(2);
    for (const weak of ["short", "          \t   ", "password123"]) {
      const res = await changePassword(tokens[0]!, {
        current_password: PASSWORD,
        new_password: weak,
      });
      expect(res.status, weak).toBe(400);
      expect(failure(res).error).toContain("new_password");
      expect(res.text).not.toContain(weak.trim() || "\t");
    }
    expect((await me(tokens[1]!)).status).toBe(200);
  });
});
