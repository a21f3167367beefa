import { randomBytes } from "node:crypto";
import { TOKEN_PATTERN } from "@apf/auth";
import { auditEvents, users } from "@apf/db";
import { eq } from "drizzle-orm";
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

const PASSWORD = "a long enough passphrase";
const uniqueEmail = (tag = "user") => `${tag}-${randomBytes(5).toString("hex")}@example.test`;
/** A client address of the test's own, so that per-address limits of one test do not leak. */
const freshIp = () =>
  `203.0.113.${Math.floor(Math.random() * 250) + 1}-${randomBytes(3).toString("hex")}`;
const from = (ip: string) => ({ "x-forwarded-for": ip });

function signup(body: Record<string, unknown>, ip = freshIp()) {
  return call(app, "POST", "/api/auth/signup", { body, headers: from(ip) });
}

function login(email: string, password: string, ip: string) {
  return call(app, "POST", "/api/auth/login", { body: { email, password }, headers: from(ip) });
}

describe("POST /api/auth/signup", () => {
  it("creates the user, the organization and the owner membership, and starts a session", async () => {
    const email = uniqueEmail();
    const res = await signup({
      email,
      password: PASSWORD,
      name: "Ada",
      organization_name: "Ada's Farm",
    });
    expect(res.status).toBe(201);
    expect(answer(res, "dashboardSignup").success).toBe(true);
    const { user, organization, session_token } = dataOf(res, "dashboardSignup");
    expect(user).toMatchObject({ email, name: "Ada" });
    expect(organization.name).toBe("Ada's Farm");
    expect(session_token).toMatch(/^apf_sess_[0-9a-f]{64}$/);
    expect(TOKEN_PATTERN.test(session_token)).toBe(true);

    const me = await call(app, "GET", "/api/me", { token: session_token });
    expect(me.status).toBe(200);
    expect(dataOf(me, "dashboardGetMe").memberships).toEqual([
      { organization: { id: organization.id, name: "Ada's Farm" }, role: "owner" },
    ]);
  });

  it("sets the session cookie HttpOnly, Secure, SameSite=Lax, Path=/", async () => {
    const res = await signup({ email: uniqueEmail(), password: PASSWORD, organization_name: "F" });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`apf_session=${dataOf(res, "dashboardSignup").session_token}`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
  });

  it("stores an argon2id hash, never the password", async () => {
    const email = uniqueEmail();
    await signup({ email, password: PASSWORD, organization_name: "F" });
    const [row] = await services.db.select().from(users).where(eq(users.email, email));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
  });

  it("answers 409 CONFLICT for an email that already has an account, whatever its case", async () => {
    const email = uniqueEmail();
    expect((await signup({ email, password: PASSWORD, organization_name: "F" })).status).toBe(201);
    const again = await signup({
      email: email.toUpperCase(),
      password: PASSWORD,
      organization_name: "G",
    });
    expect(again.status).toBe(409);
    expect(failure(again).code).toBe("CONFLICT");
  });

  it.each([
    ["9 characters", "123456789"],
    ["201 characters", "x".repeat(201)],
    ["only spaces", " ".repeat(12)],
    ["only whitespace and control characters", "\t\n \u0000\u0007\u00a0\u2003\r\u200b  "],
    ["a common password", "password123"],
    ["a common password in other case", "QwertyUiop"],
  ])(
    "refuses a password of %s with 400 naming the field, never echoing it",
    async (_, password) => {
      const res = await signup({ email: uniqueEmail(), password, organization_name: "F" });
      expect(res.status).toBe(400);
      expect(failure(res).code).toBe("INVALID_REQUEST");
      expect(failure(res).error).toContain("password");
      expect(res.text).not.toContain(password);
    },
  );

  it("counts password length in characters, so 10 emoji are enough", async () => {
    const res = await signup({
      email: uniqueEmail(),
      password: "🔑".repeat(10),
      organization_name: "F",
    });
    expect(res.status).toBe(201);
  });

  it.each([
    [
      "a missing organization_name",
      { email: "x@example.test", password: PASSWORD },
      "organization_name",
    ],
    [
      "an invalid email",
      { email: "not-an-email", password: PASSWORD, organization_name: "F" },
      "email",
    ],
    [
      "an unknown field",
      { email: "y@example.test", password: PASSWORD, organization_name: "F", admin: true },
      "admin",
    ],
  ])("answers 400 for %s", async (_, body, field) => {
    const res = await signup(body);
    expect(res.status).toBe(400);
    expect(failure(res).code).toBe("INVALID_REQUEST");
    expect(failure(res).error).toContain(field);
  });

  it("answers 403 FORBIDDEN when sign-up is closed", async () => {
    const closed = await createTestServices({
      database: services.database,
      env: { APF_SIGNUP: "closed" },
    });
    try {
      const res = await call(createApp(closed), "POST", "/api/auth/signup", {
        body: { email: uniqueEmail(), password: PASSWORD, organization_name: "F" },
      });
      expect(res.status).toBe(403);
      expect(failure(res).code).toBe("FORBIDDEN");
    } finally {
      await closed.close();
    }
  });

  it("answers 415 for a body that is not JSON", async () => {
    const res = await app.request("/api/auth/signup", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "email=x",
    });
    expect(res.status).toBe(415);
    expect((await res.json()).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 429 with Retry-After past 20 sign-ups from one address in an hour", async () => {
    const ip = freshIp();
    const email = uniqueEmail();
    expect((await signup({ email, password: PASSWORD, organization_name: "F" }, ip)).status).toBe(
      201,
    );
    for (let i = 0; i < 19; i++) {
      expect((await signup({ email, password: PASSWORD, organization_name: "F" }, ip)).status).toBe(
        409,
      );
    }
    const res = await signup({ email, password: PASSWORD, organization_name: "F" }, ip);
    expect(res.status).toBe(429);
    expect(failure(res).code).toBe("RATE_LIMITED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("claims no invitation from the email alone", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail("invitee");
    const invite = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email, role: "admin" },
    });
    expect(dataOf(invite, "dashboardAddMember").status).toBe("invited");

    const res = await signup({ email, password: PASSWORD, organization_name: "Own Farm" });
    expect(res.status).toBe(201);
    const me = await call(app, "GET", "/api/me", {
      token: dataOf(res, "dashboardSignup").session_token,
    });
    expect(dataOf(me, "dashboardGetMe").memberships).toEqual([
      {
        organization: { id: dataOf(res, "dashboardSignup").organization.id, name: "Own Farm" },
        role: "owner",
      },
    ]);
    const pending = await call(app, "GET", `/api/orgs/${team.organization.id}/invitations`, {
      token: team.owner.token,
    });
    expect(dataOf(pending, "dashboardListInvitations").map((i) => i.email)).toEqual([email]);
  });

  it("joins the inviting organization with the invitation's token", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail("invitee");
    const invite = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email, role: "admin" },
    });
    const res = await signup({
      email,
      password: PASSWORD,
      organization_name: "Own Farm",
      invitation_token: dataOf(invite, "dashboardAddMember").invitation.accept_token,
    });
    expect(res.status).toBe(201);
    const me = await call(app, "GET", "/api/me", {
      token: dataOf(res, "dashboardSignup").session_token,
    });
    expect(dataOf(me, "dashboardGetMe").memberships).toEqual(
      expect.arrayContaining([
        { organization: { id: team.organization.id, name: team.organization.name }, role: "admin" },
        {
          organization: { id: dataOf(res, "dashboardSignup").organization.id, name: "Own Farm" },
          role: "owner",
        },
      ]),
    );
    const pending = await call(app, "GET", `/api/orgs/${team.organization.id}/invitations`, {
      token: team.owner.token,
    });
    expect(dataOf(pending, "dashboardListInvitations")).toEqual([]);
  });
});

describe("POST /api/auth/login", () => {
  async function account() {
    const email = uniqueEmail();
    const res = await signup({ email, password: PASSWORD, organization_name: "F" });
    return { email, organizationId: dataOf(res, "dashboardSignup").organization.id };
  }

  it("answers 200 with the user and a new session, and sets the cookie", async () => {
    const { email } = await account();
    const res = await login(email, PASSWORD, freshIp());
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardLogin").user.email).toBe(email);
    expect(dataOf(res, "dashboardLogin").session_token).toMatch(/^apf_sess_[0-9a-f]{64}$/);
    expect(res.headers.get("set-cookie")).toContain("apf_session=");
    expect(
      (await call(app, "GET", "/api/me", { token: dataOf(res, "dashboardLogin").session_token }))
        .status,
    ).toBe(200);
  });

  it("accepts the email in any case", async () => {
    const { email } = await account();
    expect((await login(email.toUpperCase(), PASSWORD, freshIp())).status).toBe(200);
  });

  it("answers the same 401 INVALID_CREDENTIALS for a wrong password and an unknown email", async () => {
    const { email } = await account();
    const wrong = await login(email, "not the password", freshIp());
    const unknown = await login(uniqueEmail("nobody"), "not the password", freshIp());
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const { request_id: _a, ...wrongBody } = failure(wrong);
    const { request_id: _b, ...unknownBody } = failure(unknown);
    expect(wrongBody).toEqual({
      success: false,
      code: "INVALID_CREDENTIALS",
      error: wrongBody.error,
    });
    expect(unknownBody).toEqual(wrongBody);
  });

  it("refuses the 11th failure for one email in 15 minutes with 429 and Retry-After", async () => {
    const { email } = await account();
    for (let i = 0; i < 10; i++) {
      // From several addresses: the limit is per email.
      expect((await login(email, `wrong ${i}`, freshIp())).status).toBe(401);
    }
    const refused = await login(email, "wrong again", freshIp());
    expect(refused.status).toBe(429);
    expect(failure(refused).code).toBe("RATE_LIMITED");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Locked means locked: the right password does not get through either.
    expect((await login(email, PASSWORD, freshIp())).status).toBe(429);
  });

  it("locks an unknown email the same way as a known one", async () => {
    const email = uniqueEmail("ghost");
    for (let i = 0; i < 10; i++) {
      expect((await login(email, `wrong ${i}`, freshIp())).status).toBe(401);
    }
    expect((await login(email, "wrong", freshIp())).status).toBe(429);
  });

  it("resets the email's failure count on a successful sign-in", async () => {
    const { email } = await account();
    const ip = freshIp();
    for (let i = 0; i < 9; i++) expect((await login(email, "wrong", ip)).status).toBe(401);
    expect((await login(email, PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await login(email, "wrong", ip)).status).toBe(401);
    expect((await login(email, "wrong", ip)).status).toBe(429);
  });

  it("refuses the 101st failure from one address in an hour, whatever the emails", async () => {
    const ip = freshIp();
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => login(uniqueEmail("spray"), "wrong password", ip)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(401));
    }
    const refused = await login(uniqueEmail("spray"), "wrong password", ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect((await login(uniqueEmail("spray"), "wrong password", freshIp())).status).toBe(401);
  });

  it("records failures and successes in the audit log without the password", async () => {
    const { email, organizationId } = await account();
    const ip = freshIp();
    await login(email, "the wrong secret", ip);
    await login(email, PASSWORD, ip);
    const events = await services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.organizationId, organizationId));
    const actions = events.map((e) => e.action);
    expect(actions).toContain("auth.login_failed");
    expect(actions).toContain("auth.login_succeeded");
    const failed = events.find((e) => e.action === "auth.login_failed")!;
    expect(failed.details).toEqual({ email });
    expect(failed.ip).toBe(ip);
    const text = JSON.stringify(events);
    expect(text).not.toContain("the wrong secret");
    expect(text).not.toContain(PASSWORD);
  });

  it("records a failure for an unknown email with no organization", async () => {
    const email = uniqueEmail("unknown");
    await login(email, "whatever it is", freshIp());
    const events = await services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "auth.login_failed"));
    const mine = events.filter((e) => (e.details as { email?: string }).email === email);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.organizationId).toBeNull();
    expect(mine[0]!.actorType).toBe("anonymous");
  });

  it("refuses a sign-in a browser marks as cross-origin (login CSRF)", async () => {
    const { email } = await account();
    const res = await call(app, "POST", "/api/auth/login", {
      body: { email, password: PASSWORD },
      headers: {
        ...from(freshIp()),
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
    });
    expect(res.status).toBe(403);
    expect(failure(res).code).toBe("FORBIDDEN");
  });
});

describe("POST /api/auth/logout and GET /api/me", () => {
  it("ends the session at once and clears the cookie", async () => {
    const team = await createTeam(services);
    const res = await call(app, "POST", "/api/auth/logout", { token: team.owner.token });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardLogout")).toEqual({ signed_out: true });
    expect(res.headers.get("set-cookie")).toMatch(/apf_session=;.*Max-Age=0/);
    const after = await call(app, "GET", "/api/me", { token: team.owner.token });
    expect(after.status).toBe(401);
    expect(failure(after).code).toBe("TOKEN_REVOKED");
  });

  it("answers 401 without a session", async () => {
    expect((await call(app, "POST", "/api/auth/logout")).status).toBe(401);
    expect((await call(app, "GET", "/api/me")).status).toBe(401);
  });

  it("lists every organization of the user with their role", async () => {
    const a = await createTeam(services, "Farm A");
    const b = await createTeam(services, "Farm B");
    const invited = await call(app, "POST", `/api/orgs/${b.organization.id}/members`, {
      token: b.owner.token,
      body: { email: a.admin.user.email, role: "member" },
    });
    const accepted = await call(app, "POST", "/api/invitations/accept", {
      token: a.admin.token,
      body: { token: dataOf(invited, "dashboardAddMember").invitation.accept_token },
    });
    expect(accepted.status).toBe(200);
    const me = await call(app, "GET", "/api/me", { token: a.admin.token });
    expect(me.status).toBe(200);
    expect(dataOf(me, "dashboardGetMe").user).toMatchObject({
      id: a.admin.user.id,
      email: a.admin.user.email,
    });
    expect(dataOf(me, "dashboardGetMe").user).not.toHaveProperty("password_hash");
    expect(dataOf(me, "dashboardGetMe").memberships).toEqual([
      { organization: { id: a.organization.id, name: "Farm A" }, role: "admin" },
      { organization: { id: b.organization.id, name: "Farm B" }, role: "member" },
    ]);
  });
});
