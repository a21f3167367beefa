import { randomBytes } from "node:crypto";
import { hashToken, mintInvitationToken } from "@apf/auth";
import {
  auditEvents,
  invitations,
  memberships as membershipsTable,
  organizations,
  users,
} from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, TestClock, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ env: { TRUST_PROXY: "x-forwarded-for" } });
  app = createApp(services);
});
afterAll(() => services.close());

const PASSWORD = "a long enough passphrase";
const uniqueEmail = (tag = "invitee") => `${tag}-${randomBytes(5).toString("hex")}@victim.test`;
/** A client address of the test's own, so that per-address limits of one test do not leak. */
const freshIp = () => `198.51.100.${randomBytes(3).toString("hex")}`;

/** The keys of an answer at every depth, with the kind of each leaf: its shape, not its values. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value === null ? "null" : typeof value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
}

type Team = Awaited<ReturnType<typeof createTeam>>;

async function invite(team: Team, email: string, role = "admin", token = team.owner.token) {
  const res = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
    token,
    body: { email, role },
  });
  expect(res.status).toBe(201);
  expect(dataOf(res, "dashboardAddMember").status).toBe("invited");
  return dataOf(res, "dashboardAddMember").invitation;
}

function signup(email: string, invitationToken?: string, ip = freshIp()) {
  return call(app, "POST", "/api/auth/signup", {
    body: {
      email,
      password: PASSWORD,
      organization_name: "Own Farm",
      ...(invitationToken === undefined ? {} : { invitation_token: invitationToken }),
    },
    headers: { "x-forwarded-for": ip },
  });
}

function accept(session: string, token: string, ip = freshIp()) {
  return call(app, "POST", "/api/invitations/accept", {
    token: session,
    body: { token },
    headers: { "x-forwarded-for": ip },
  });
}

async function memberships(session: string) {
  const me = await call(app, "GET", "/api/me", { token: session });
  return dataOf(me, "dashboardGetMe").memberships;
}

const roleIn = async (session: string, organizationId: string) =>
  (await memberships(session)).find((m) => m.organization.id === organizationId)?.role;

async function pendingEmails(team: Team) {
  const res = await call(app, "GET", `/api/orgs/${team.organization.id}/invitations`, {
    token: team.owner.token,
  });
  return dataOf(res, "dashboardListInvitations").map((i) => i.email);
}

async function accountExists(email: string) {
  const rows = await services.db.select().from(users).where(eq(users.email, email));
  return rows.length > 0;
}

describe("invitation takeover (sign-up does not prove the email)", () => {
  it("gives someone who signs up with an invited email, without the token, nothing", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail("cfo");
    await invite(team, email, "admin");

    const attacker = await signup(email);
    expect(attacker.status).toBe(201);
    const session = dataOf(attacker, "dashboardSignup").session_token;
    expect(await memberships(session)).toEqual([
      {
        organization: { id: dataOf(attacker, "dashboardSignup").organization.id, name: "Own Farm" },
        role: "owner",
      },
    ]);
    expect(
      (await call(app, "GET", `/api/orgs/${team.organization.id}`, { token: session })).status,
    ).toBe(404);
    expect(await pendingEmails(team)).toEqual([email]);
  });

  it("refuses a guessed or malformed token with 400 naming invitation_token, creating nothing", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail("cfo");
    await invite(team, email, "admin");
    const organizationsBefore = (await services.db.select().from(organizations)).length;

    for (const guess of [mintInvitationToken().token, "apf_inv_guess", ""]) {
      const res = await signup(email, guess);
      expect(res.status, guess).toBe(400);
      expect(failure(res).code).toBe("INVALID_REQUEST");
      expect(failure(res).error).toContain("invitation_token");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(await accountExists(email)).toBe(false);
    expect((await services.db.select().from(organizations)).length).toBe(organizationsBefore);
    expect(await pendingEmails(team)).toEqual([email]);
  });

  it("refuses a real token issued to another email, creating nothing", async () => {
    const team = await createTeam(services);
    const invited = uniqueEmail("cfo");
    const { accept_token } = await invite(team, invited, "admin");
    const attacker = uniqueEmail("attacker");

    const res = await signup(attacker, accept_token);
    expect(res.status).toBe(400);
    expect(failure(res).error).toContain("invitation_token");
    expect(await accountExists(attacker)).toBe(false);
    // The token still works for the person it was meant for.
    const legit = await signup(invited, accept_token);
    expect(legit.status).toBe(201);
    expect(await roleIn(dataOf(legit, "dashboardSignup").session_token, team.organization.id)).toBe(
      "admin",
    );
  });
});

describe("accepting an invitation at sign-up", () => {
  it("makes the invitee a member with the invitation's role, whatever the email's case", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail();
    const invitation = await invite(team, email, "admin");

    const res = await signup(email.toUpperCase(), invitation.accept_token);
    expect(res.status).toBe(201);
    const session = dataOf(res, "dashboardSignup").session_token;
    expect(await roleIn(session, team.organization.id)).toBe("admin");
    expect(await roleIn(session, dataOf(res, "dashboardSignup").organization.id)).toBe("owner");
    expect(await pendingEmails(team)).toEqual([]);

    const [event] = await services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "invitation.accepted"))
      .then((rows) => rows.filter((e) => e.organizationId === team.organization.id));
    expect(event).toMatchObject({
      actorType: "user",
      actorId: dataOf(res, "dashboardSignup").user.id,
      targetType: "user",
      targetId: dataOf(res, "dashboardSignup").user.id,
      details: { email, role: "admin", invitation_id: invitation.id },
    });
  });

  it("stores only the token's SHA-256", async () => {
    const team = await createTeam(services);
    const { id, accept_token } = await invite(team, uniqueEmail());
    const [row] = await services.db.select().from(invitations).where(eq(invitations.id, id));
    expect(row!.tokenHash).toBe(hashToken(accept_token));
    expect(JSON.stringify(row)).not.toContain(accept_token.slice(8));
  });

  it("refuses a token that was used, withdrawn or replaced by a new invitation", async () => {
    const team = await createTeam(services);
    const used = uniqueEmail();
    const usedToken = (await invite(team, used)).accept_token;
    expect((await signup(used, usedToken)).status).toBe(201);

    const withdrawn = uniqueEmail();
    const withdrawnInvitation = await invite(team, withdrawn);
    const path = `/api/orgs/${team.organization.id}/invitations/${withdrawnInvitation.id}`;
    expect((await call(app, "DELETE", path, { token: team.owner.token })).status).toBe(200);
    const afterWithdrawal = await signup(withdrawn, withdrawnInvitation.accept_token);
    expect(afterWithdrawal.status).toBe(400);
    expect(failure(afterWithdrawal).error).toContain("invitation_token");
    expect(await accountExists(withdrawn)).toBe(false);

    const reissued = uniqueEmail();
    const old = await invite(team, reissued, "admin");
    const fresh = await invite(team, reissued, "member");
    expect(fresh.accept_token).not.toBe(old.accept_token);
    const withOld = await signup(reissued, old.accept_token);
    expect(withOld.status).toBe(400);
    expect(await accountExists(reissued)).toBe(false);
    const withFresh = await signup(reissued, fresh.accept_token);
    expect(withFresh.status).toBe(201);
    expect(
      await roleIn(dataOf(withFresh, "dashboardSignup").session_token, team.organization.id),
    ).toBe("member");
  });
});

describe("POST /api/invitations/accept", () => {
  async function invitedAccount(team: Team, role = "admin") {
    const email = uniqueEmail();
    const invitation = await invite(team, email, role);
    const res = await signup(email);
    return {
      email,
      invitation,
      userId: dataOf(res, "dashboardSignup").user.id,
      session: dataOf(res, "dashboardSignup").session_token,
    };
  }

  it("makes the signed-in invitee a member with the invitation's role, once", async () => {
    const team = await createTeam(services);
    const { session, invitation } = await invitedAccount(team, "admin");

    const res = await accept(session, invitation.accept_token);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardAcceptInvitation")).toEqual({
      organization: { id: team.organization.id, name: team.organization.name },
      role: "admin",
    });
    expect(await roleIn(session, team.organization.id)).toBe("admin");
    expect(await pendingEmails(team)).toEqual([]);

    const again = await accept(session, invitation.accept_token);
    expect(again.status).toBe(404);
    expect(failure(again).code).toBe("NOT_FOUND");
  });

  it("lets one of two simultaneous uses of a token through", async () => {
    const team = await createTeam(services);
    const { session, invitation } = await invitedAccount(team);
    const results = await Promise.all([
      accept(session, invitation.accept_token),
      accept(session, invitation.accept_token),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
  });

  it("answers 404 for a token of an invitation to someone else, which stays usable", async () => {
    const team = await createTeam(services);
    const victim = await invitedAccount(team, "admin");
    const other = await createTeam(services);

    const stolen = await accept(other.member.token, victim.invitation.accept_token);
    expect(stolen.status).toBe(404);
    expect(failure(stolen).error).toBe("No pending invitation for you with this token.");
    expect(await roleIn(other.member.token, team.organization.id)).toBeUndefined();
    expect((await accept(victim.session, victim.invitation.accept_token)).status).toBe(200);
  });

  it("answers 404 for a guessed, malformed or replaced token", async () => {
    const team = await createTeam(services);
    const email = uniqueEmail();
    const old = await invite(team, email, "admin");
    const fresh = await invite(team, email, "member");
    const session = dataOf(await signup(email), "dashboardSignup").session_token;
    for (const token of [mintInvitationToken().token, "apf_inv_short", old.accept_token]) {
      const res = await accept(session, token);
      expect(res.status, token).toBe(404);
      expect(res.text).not.toContain(token);
    }
    expect(await roleIn(session, team.organization.id)).toBeUndefined();
    const res = await accept(session, fresh.accept_token);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardAcceptInvitation").role).toBe("member");
  });

  it("leaves the role of someone already a member as it is", async () => {
    const team = await createTeam(services);
    const { userId, session, invitation } = await invitedAccount(team, "admin");
    // Membership by another path (as when the organization is created); inviting again is 409.
    await services.db
      .insert(membershipsTable)
      .values({ organizationId: team.organization.id, userId, role: "member" });

    const res = await accept(session, invitation.accept_token);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardAcceptInvitation").role).toBe("member");
    expect(await roleIn(session, team.organization.id)).toBe("member");
    expect(await pendingEmails(team)).toEqual([]);
  });

  it("invites an email that has an account instead of adding it, with the same answer as for one without", async () => {
    const team = await createTeam(services);
    const existing = uniqueEmail("existing");
    const signedUp = await signup(existing);
    const session = dataOf(signedUp, "dashboardSignup").session_token;
    const unknown = uniqueEmail("unknown");
    const answers = [];
    for (const email of [existing, unknown]) {
      const res = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
        token: team.owner.token,
        body: { email, role: "admin" },
      });
      answers.push({ status: res.status, keys: shape(res.body) });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(201);
    expect(await roleIn(session, team.organization.id)).toBeUndefined();
    expect(await pendingEmails(team)).toEqual(expect.arrayContaining([existing, unknown]));
  });

  it("refuses an invitation 7 days after it was issued, at accept and at sign-up, like an unknown token", async () => {
    const clock = new TestClock();
    const own = await createTestServices({ env: { TRUST_PROXY: "x-forwarded-for" }, clock });
    try {
      const ownApp = createApp(own);
      const team = await createTeam(own);
      const issue = async (email: string) => {
        const res = await call(ownApp, "POST", `/api/orgs/${team.organization.id}/members`, {
          token: team.owner.token,
          body: { email, role: "member" },
        });
        expect(dataOf(res, "dashboardAddMember").invitation.expires_at).toBe(
          new Date(clock.now().getTime() + 7 * 86_400_000).toISOString(),
        );
        return dataOf(res, "dashboardAddMember").invitation.accept_token;
      };
      const signUp = (email: string, token?: string) =>
        call(ownApp, "POST", "/api/auth/signup", {
          body: {
            email,
            password: PASSWORD,
            organization_name: "Own",
            ...(token ? { invitation_token: token } : {}),
          },
          headers: { "x-forwarded-for": freshIp() },
        });
      const [signedIn, fresh, onTime] = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
      const signedInToken = await issue(signedIn);
      const freshToken = await issue(fresh);
      const onTimeToken = await issue(onTime);
      const list = await call(ownApp, "GET", `/api/orgs/${team.organization.id}/invitations`, {
        token: team.owner.token,
      });
      expect(dataOf(list, "dashboardListInvitations")[0]!.expires_at).toEqual(expect.any(String));

      clock.advance(7 * 86_400_000 - 60_000);
      expect((await signUp(onTime, onTimeToken)).status).toBe(201);

      clock.advance(60_001);
      const session = dataOf(await signUp(signedIn), "dashboardSignup").session_token;
      const late = await call(ownApp, "POST", "/api/invitations/accept", {
        token: session,
        body: { token: signedInToken },
        headers: { "x-forwarded-for": freshIp() },
      });
      expect(late.status).toBe(404);
      const lateSignup = await signUp(fresh, freshToken);
      expect(lateSignup.status).toBe(400);
      expect(failure(lateSignup).error).toContain("invitation_token");
    } finally {
      await own.close();
    }
  });

  it("needs a session, and a same-origin request for a cookie session", async () => {
    const team = await createTeam(services);
    const { session, invitation } = await invitedAccount(team);
    const anonymous = await call(app, "POST", "/api/invitations/accept", {
      body: { token: invitation.accept_token },
    });
    expect(anonymous.status).toBe(401);

    const crossSite = await call(app, "POST", "/api/invitations/accept", {
      body: { token: invitation.accept_token },
      headers: { cookie: `apf_session=${session}`, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(failure(crossSite).code).toBe("FORBIDDEN");
    expect(await roleIn(session, team.organization.id)).toBeUndefined();

    const sameOrigin = await call(app, "POST", "/api/invitations/accept", {
      body: { token: invitation.accept_token },
      headers: { cookie: `apf_session=${session}`, "sec-fetch-site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it("answers 400 without a token", async () => {
    const team = await createTeam(services);
    for (const body of [{}, { token: "" }, { token: 42 }]) {
      const res = await call(app, "POST", "/api/invitations/accept", {
        token: team.member.token,
        body,
      });
      expect(res.status).toBe(400);
      expect(failure(res).code).toBe("INVALID_REQUEST");
      expect(failure(res).error).toContain("token");
    }
  });

  it("refuses the 101st failed attempt from one address in an hour with 429", async () => {
    const team = await createTeam(services);
    const { session, invitation } = await invitedAccount(team);
    const ip = freshIp();
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => accept(session, mintInvitationToken().token, ip)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(404));
    }
    const refused = await accept(session, invitation.accept_token, ip);
    expect(refused.status).toBe(429);
    expect(failure(refused).code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another address is not affected, and the real token was not spent by the refusal.
    expect((await accept(session, invitation.accept_token, freshIp())).status).toBe(200);
  });
});
