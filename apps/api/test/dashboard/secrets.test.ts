import { auditEvents } from "@apf/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const FULL_TOKEN = /apf_(live|agent|sess)_[0-9a-f]{64}/;
const PASSWORD = "hunter2-but-longer-than-ten";
const WRONG_PASSWORD = "a guess that is wrong";

describe("secrets in logs and audit events", () => {
  it("leaves no full token and no password behind across sign-up, mint, use and revoke", async () => {
    const email = "secrets@example.test";
    const signup = await call(app, "POST", "/api/auth/signup", {
      body: { email, password: PASSWORD, organization_name: "Secret Farm" },
    });
    expect(signup.status).toBe(201);
    const orgId = dataOf(signup, "dashboardSignup").organization.id;
    expect(
      (await call(app, "POST", "/api/auth/login", { body: { email, password: WRONG_PASSWORD } }))
        .status,
    ).toBe(401);
    const login = await call(app, "POST", "/api/auth/login", {
      body: { email, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const session = dataOf(login, "dashboardLogin").session_token;

    const minted = await call(app, "POST", `/api/orgs/${orgId}/api-keys`, {
      token: session,
      body: { name: "grafana", scopes: ["printers:read"] },
    });
    expect(minted.status).toBe(201);
    const key: string = dataOf(minted, "dashboardCreateApiKey").key;
    const agent = await call(app, "POST", `/api/orgs/${orgId}/agents`, {
      token: session,
      body: { name: "pi" },
    });
    expect(agent.status).toBe(201);

    // Use the key; the public API may not be mounted in every checkout, so 404 is tolerated.
    const use = await call(app, "GET", "/public/v1/me", { token: key });
    expect([200, 404]).toContain(use.status);
    const list = await call(app, "GET", `/api/orgs/${orgId}/api-keys`, { token: session });
    expect(list.status).toBe(200);
    const revoke = await call(
      app,
      "DELETE",
      `/api/orgs/${orgId}/api-keys/${dataOf(minted, "dashboardCreateApiKey").id}`,
      {
        token: session,
      },
    );
    expect(revoke.status).toBe(200);
    if (use.status === 200) {
      const after = await call(app, "GET", "/public/v1/me", { token: key });
      expect(after.status).toBe(401);
      expect(failure(after).code).toBe("TOKEN_REVOKED");
    }
    await call(
      app,
      "DELETE",
      `/api/orgs/${orgId}/agents/${dataOf(agent, "dashboardCreateAgent").id}`,
      {
        token: session,
      },
    );
    await call(app, "POST", "/api/auth/logout", { token: session });

    const events = await services.db.select().from(auditEvents);
    const auditText = JSON.stringify(events);
    const audit = await call(app, "GET", `/api/orgs/${orgId}/audit-events?limit=100`, {
      token: dataOf(signup, "dashboardSignup").session_token,
    });
    const logs = services.logs.text;

    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "auth.signup",
        "auth.login_failed",
        "auth.login_succeeded",
        "api_key.created",
        "api_key.revoked",
        "agent.created",
        "agent.revoked",
      ]),
    );
    expect(logs.length).toBeGreaterThan(0);
    for (const [what, text] of [
      ["logs", logs],
      ["audit rows", auditText],
      ["audit API", audit.text],
      ["key list", list.text],
    ] as const) {
      expect(text, what).not.toMatch(FULL_TOKEN);
      for (const secret of [
        key,
        dataOf(agent, "dashboardCreateAgent").token,
        session,
        dataOf(signup, "dashboardSignup").session_token,
      ]) {
        expect(text, what).not.toContain(secret.slice(-60));
      }
      expect(text, what).not.toContain(PASSWORD);
      expect(text, what).not.toContain(WRONG_PASSWORD);
      expect(text, what).not.toMatch(/\$argon2/);
    }
  });
  it("leaves no invitation token behind across invite, re-issue, sign-up and accept", async () => {
    const owner = await call(app, "POST", "/api/auth/signup", {
      body: { email: "inviter@example.test", password: PASSWORD, organization_name: "Inv Farm" },
    });
    const orgId = dataOf(owner, "dashboardSignup").organization.id;
    const session = dataOf(owner, "dashboardSignup").session_token;
    const invite = async (email: string) => {
      const res = await call(app, "POST", `/api/orgs/${orgId}/members`, {
        token: session,
        body: { email, role: "admin" },
      });
      expect(res.status).toBe(201);
      return dataOf(res, "dashboardAddMember").invitation.accept_token;
    };

    const replaced = await invite("first@example.test");
    const atSignup = await invite("first@example.test");
    const wrong = await call(app, "POST", "/api/auth/signup", {
      body: {
        email: "first@example.test",
        password: PASSWORD,
        organization_name: "F",
        invitation_token: replaced,
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).not.toContain(replaced.slice(8));
    const first = await call(app, "POST", "/api/auth/signup", {
      body: {
        email: "first@example.test",
        password: PASSWORD,
        organization_name: "F",
        invitation_token: atSignup,
      },
    });
    expect(first.status).toBe(201);

    const pending = await invite("second@example.test");
    const list = await call(app, "GET", `/api/orgs/${orgId}/invitations`, { token: session });
    expect(list.status).toBe(200);
    const second = await call(app, "POST", "/api/auth/signup", {
      body: { email: "second@example.test", password: PASSWORD, organization_name: "S" },
    });
    const accepted = await call(app, "POST", "/api/invitations/accept", {
      token: dataOf(second, "dashboardSignup").session_token,
      body: { token: pending },
    });
    expect(accepted.status).toBe(200);
    const refused = await call(app, "POST", "/api/invitations/accept", {
      token: dataOf(second, "dashboardSignup").session_token,
      body: { token: pending },
    });
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain(pending.slice(8));

    const events = await services.db.select().from(auditEvents);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["member.invited", "invitation.accepted"]),
    );
    const audit = await call(app, "GET", `/api/orgs/${orgId}/audit-events?limit=100`, {
      token: session,
    });
    const members = await call(app, "GET", `/api/orgs/${orgId}/members`, { token: session });
    for (const [what, text] of [
      ["logs", services.logs.text],
      ["audit rows", JSON.stringify(events)],
      ["audit API", audit.text],
      ["invitation list", list.text],
      ["member list", members.text],
    ] as const) {
      expect(text, what).not.toMatch(/apf_inv_[A-Za-z0-9_-]{5}/);
      for (const token of [replaced, atSignup, pending]) {
        expect(text, what).not.toContain(token.slice(8));
      }
    }
  });
});
