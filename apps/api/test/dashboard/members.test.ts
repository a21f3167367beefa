import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { type DashboardOperation, dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createMember, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const newEmail = () => `new-${randomBytes(5).toString("hex")}@example.test`;

describe("GET /api/orgs/{orgId}/members", () => {
  it("lists members with their role to any member", async () => {
    const team = await createTeam(services);
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/members`, {
      token: team.member.token,
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardListMembers").map((m) => m.role)).toEqual([
      "owner",
      "admin",
      "member",
    ]);
    expect(dataOf(res, "dashboardListMembers")[0]).toEqual({
      user: { id: team.owner.user.id, email: team.owner.user.email, name: "Owner" },
      role: "owner",
      created_at: expect.any(String),
    });
  });
});

describe("POST /api/orgs/{orgId}/members", () => {
  it("invites an existing user instead of adding them: nobody joins without accepting", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const res = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.admin.token,
      body: { email: other.member.user.email.toUpperCase(), role: "member" },
    });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardAddMember")).toMatchObject({
      status: "invited",
      member: null,
      invitation: { email: other.member.user.email, role: "member" },
    });
    const org = await call(app, "GET", `/api/orgs/${team.organization.id}`, {
      token: other.member.token,
    });
    expect(org.status).toBe(404);
  });

  it("records a pending invitation for an email without an account, with its token once", async () => {
    const team = await createTeam(services);
    const email = newEmail();
    const res = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email, role: "admin" },
    });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardAddMember")).toMatchObject({
      status: "invited",
      member: null,
      invitation: { email, role: "admin", invited_by: team.owner.user.id },
    });
    const { accept_token, ...invitation } = dataOf(res, "dashboardAddMember").invitation;
    expect(accept_token).toMatch(/^apf_inv_[A-Za-z0-9_-]{43}$/);
    const list = await call(app, "GET", `/api/orgs/${team.organization.id}/invitations`, {
      token: team.member.token,
    });
    expect(dataOf(list, "dashboardListInvitations")).toEqual([invitation]);
    expect(list.text).not.toContain(accept_token.slice(8));
  });

  it("answers 409 for someone already a member", async () => {
    const team = await createTeam(services);
    const member = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email: team.member.user.email, role: "admin" },
    });
    expect(member.status).toBe(409);
    expect(failure(member).code).toBe("CONFLICT");
  });

  it("issues a pending invitation again with a new token and role", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}/members`;
    const email = newEmail();
    const first = await call(app, "POST", path, {
      token: team.owner.token,
      body: { email, role: "member" },
    });
    const again = await call(app, "POST", path, {
      token: team.admin.token,
      body: { email, role: "admin" },
    });
    expect(again.status).toBe(201);
    expect(dataOf(again, "dashboardAddMember").invitation).toMatchObject({
      id: dataOf(first, "dashboardAddMember").invitation.id,
      role: "admin",
      invited_by: team.admin.user.id,
    });
    expect(dataOf(again, "dashboardAddMember").invitation.accept_token).not.toBe(
      dataOf(first, "dashboardAddMember").invitation.accept_token,
    );
    const list = await call(app, "GET", `/api/orgs/${team.organization.id}/invitations`, {
      token: team.owner.token,
    });
    expect(dataOf(list, "dashboardListInvitations")).toHaveLength(1);
  });

  it("lets only owners issue an owner invitation again, whatever the new role", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}/members`;
    const email = newEmail();
    await call(app, "POST", path, { token: team.owner.token, body: { email, role: "owner" } });
    const byAdmin = await call(app, "POST", path, {
      token: team.admin.token,
      body: { email, role: "member" },
    });
    expect(byAdmin.status).toBe(403);
    const byOwner = await call(app, "POST", path, {
      token: team.owner.token,
      body: { email, role: "member" },
    });
    expect(byOwner.status).toBe(201);
  });

  it("lets only owners add owners", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}/members`;
    const byAdmin = await call(app, "POST", path, {
      token: team.admin.token,
      body: { email: newEmail(), role: "owner" },
    });
    expect(byAdmin.status).toBe(403);
    const byOwner = await call(app, "POST", path, {
      token: team.owner.token,
      body: { email: newEmail(), role: "owner" },
    });
    expect(byOwner.status).toBe(201);
  });

  it("answers 400 for a bad email or role", async () => {
    const team = await createTeam(services);
    const path = `/api/orgs/${team.organization.id}/members`;
    for (const body of [
      { email: "nope", role: "member" },
      { email: newEmail(), role: "boss" },
    ]) {
      const res = await call(app, "POST", path, { token: team.owner.token, body });
      expect(res.status).toBe(400);
      expect(failure(res).code).toBe("INVALID_REQUEST");
    }
  });
});

describe("DELETE /api/orgs/{orgId}/invitations/{invitationId}", () => {
  it("withdraws a pending invitation; withdrawing again is 404", async () => {
    const team = await createTeam(services);
    const invite = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email: newEmail(), role: "member" },
    });
    const path = `/api/orgs/${team.organization.id}/invitations/${dataOf(invite, "dashboardAddMember").invitation.id}`;
    const res = await call(app, "DELETE", path, { token: team.admin.token });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardWithdrawInvitation")).toEqual({
      id: dataOf(invite, "dashboardAddMember").invitation.id,
      withdrawn: true,
    });
    expect((await call(app, "DELETE", path, { token: team.admin.token })).status).toBe(404);
  });

  it("lets only owners withdraw an owner invitation", async () => {
    const team = await createTeam(services);
    const invite = await call(app, "POST", `/api/orgs/${team.organization.id}/members`, {
      token: team.owner.token,
      body: { email: newEmail(), role: "owner" },
    });
    const path = `/api/orgs/${team.organization.id}/invitations/${dataOf(invite, "dashboardAddMember").invitation.id}`;
    expect((await call(app, "DELETE", path, { token: team.admin.token })).status).toBe(403);
    expect((await call(app, "DELETE", path, { token: team.owner.token })).status).toBe(200);
  });
});

describe("PATCH /api/orgs/{orgId}/members/{userId}", () => {
  const patch = (orgId: string, userId: string, token: string, role: string) =>
    call(app, "PATCH", `/api/orgs/${orgId}/members/${userId}`, { token, body: { role } });

  it("changes a member's role (admin)", async () => {
    const team = await createTeam(services);
    const res = await patch(team.organization.id, team.member.user.id, team.admin.token, "admin");
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdateMember")).toMatchObject({
      user: { id: team.member.user.id },
      role: "admin",
    });
  });

  it("lets only owners grant or take away owner", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    expect((await patch(org, team.member.user.id, team.admin.token, "owner")).status).toBe(403);
    expect((await patch(org, team.admin.user.id, team.admin.token, "owner")).status).toBe(403);
    expect((await patch(org, team.owner.user.id, team.admin.token, "admin")).status).toBe(403);
    expect((await patch(org, team.member.user.id, team.owner.token, "owner")).status).toBe(200);
  });

  it("refuses to demote the last owner with 409, and allows it once there is another", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const last = await patch(org, team.owner.user.id, team.owner.token, "admin");
    expect(last.status).toBe(409);
    expect(failure(last).code).toBe("CONFLICT");
    expect((await patch(org, team.admin.user.id, team.owner.token, "owner")).status).toBe(200);
    expect((await patch(org, team.owner.user.id, team.owner.token, "admin")).status).toBe(200);
  });

  it("never leaves the organization without an owner when two owners demote each other at once", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const second = await createMember(services, org, "owner");
    const results = await Promise.all([
      patch(org, second.user.id, team.owner.token, "member"),
      patch(org, team.owner.user.id, second.token, "member"),
    ]);
    // Whichever commits first wins; the other is refused (409 last owner, or 403 if it was
    // already demoted when it started).
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const members = await call(app, "GET", `/api/orgs/${org}/members`, { token: team.admin.token });
    expect(dataOf(members, "dashboardListMembers").filter((m) => m.role === "owner")).toHaveLength(
      1,
    );
  });

  it("answers 404 for a user who is not a member", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    for (const userId of [other.member.user.id, randomUUID()]) {
      expect((await patch(team.organization.id, userId, team.owner.token, "admin")).status).toBe(
        404,
      );
    }
  });
});

describe("DELETE /api/orgs/{orgId}/members/{userId}", () => {
  const remove = (orgId: string, userId: string, token: string) =>
    call(app, "DELETE", `/api/orgs/${orgId}/members/${userId}`, { token });

  it("removes a member, whose access ends at their next request", async () => {
    const team = await createTeam(services);
    const res = await remove(team.organization.id, team.member.user.id, team.admin.token);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardRemoveMember")).toEqual({
      user_id: team.member.user.id,
      role: "member",
      removed: true,
      credentials: { api_keys: [], agents: [] },
    });
    const after = await call(app, "GET", `/api/orgs/${team.organization.id}`, {
      token: team.member.token,
    });
    expect(after.status).toBe(404);
  });

  it("lets any member leave, whose access ends, and audits it as member.left", async () => {
    const team = await createTeam(services);
    for (const who of [team.member, team.admin]) {
      const res = await remove(team.organization.id, who.user.id, who.token);
      expect(res.status).toBe(200);
      expect(dataOf(res, "dashboardRemoveMember")).toMatchObject({
        user_id: who.user.id,
        removed: true,
      });
      const after = await call(app, "GET", `/api/orgs/${team.organization.id}`, {
        token: who.token,
      });
      expect(after.status).toBe(404);
    }
    const audit = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    const left = dataOf(audit, "dashboardListAuditEvents").filter(
      (e) => e.action === "member.left",
    );
    expect(left).toHaveLength(2);
  });

  it("lets an owner leave while another owner remains, never the last one", async () => {
    const team = await createTeam(services);
    const alone = await remove(team.organization.id, team.owner.user.id, team.owner.token);
    expect(alone.status).toBe(409);
    expect(failure(alone).code).toBe("CONFLICT");
    const second = await createMember(services, team.organization.id, "owner");
    const res = await remove(team.organization.id, second.user.id, second.token);
    expect(res.status).toBe(200);
  });

  it("still refuses a plain member removing someone else with 403", async () => {
    const team = await createTeam(services);
    const res = await remove(team.organization.id, team.admin.user.id, team.member.token);
    expect(res.status).toBe(403);
  });

  it("answers the live API keys and agents the removed person minted, not revoked or others' ones", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const mint = async <O extends DashboardOperation>(
      token: string,
      path: string,
      operation: O,
      body: object,
    ) => {
      const res = await call(app, "POST", `/api/orgs/${org}${path}`, { token, body });
      expect(res.status).toBe(201);
      return dataOf(res, operation);
    };
    const key = await mint(team.admin.token, "/api-keys", "dashboardCreateApiKey", {
      name: "ci",
      scopes: ["jobs:read"],
    });
    const revoked = await mint(team.admin.token, "/api-keys", "dashboardCreateApiKey", {
      name: "old",
      scopes: ["jobs:read"],
    });
    await mint(team.owner.token, "/api-keys", "dashboardCreateApiKey", {
      name: "owners",
      scopes: ["jobs:read"],
    });
    const agent = await mint(team.admin.token, "/agents", "dashboardCreateAgent", {
      name: "shelf",
    });
    const del = await call(app, "DELETE", `/api/orgs/${org}/api-keys/${revoked.id}`, {
      token: team.owner.token,
    });
    expect(del.status).toBeLessThan(300);

    const res = await remove(org, team.admin.user.id, team.owner.token);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardRemoveMember").credentials).toEqual({
      api_keys: [{ id: key.id, name: "ci", preview: key.preview }],
      agents: [{ id: agent.id, name: "shelf", preview: agent.preview }],
    });
    expect(res.text).not.toContain(key.key);
    expect(res.text).not.toContain(agent.token);
  });

  it("refuses to remove the last owner with 409", async () => {
    const team = await createTeam(services);
    const res = await remove(team.organization.id, team.owner.user.id, team.owner.token);
    expect(res.status).toBe(409);
    expect(failure(res).code).toBe("CONFLICT");
  });

  it("lets only owners remove an owner", async () => {
    const team = await createTeam(services);
    const second = await createMember(services, team.organization.id, "owner");
    expect((await remove(team.organization.id, second.user.id, team.admin.token)).status).toBe(403);
    expect((await remove(team.organization.id, second.user.id, team.owner.token)).status).toBe(200);
  });

  it("answers 404 for someone not in the organization", async () => {
    const team = await createTeam(services);
    expect((await remove(team.organization.id, randomUUID(), team.owner.token)).status).toBe(404);
  });

  it("audits every member change with who, whom and the roles", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const email = newEmail();
    await call(app, "POST", `/api/orgs/${org}/members`, {
      token: team.owner.token,
      body: { email, role: "member" },
    });
    await call(app, "PATCH", `/api/orgs/${org}/members/${team.member.user.id}`, {
      token: team.owner.token,
      body: { role: "admin" },
    });
    await remove(org, team.member.user.id, team.owner.token);
    const audit = await call(app, "GET", `/api/orgs/${org}/audit-events`, {
      token: team.owner.token,
    });
    const events = dataOf(audit, "dashboardListAuditEvents").map((e) => ({
      action: e.action,
      target: e.target,
      details: e.details,
    }));
    expect(events).toEqual([
      {
        action: "member.removed",
        target: { type: "user", id: team.member.user.id },
        details: { email: team.member.user.email, role: "admin" },
      },
      {
        action: "member.role_changed",
        target: { type: "user", id: team.member.user.id },
        details: { email: team.member.user.email, from: "member", to: "admin" },
      },
      {
        action: "member.invited",
        target: { type: "invitation", id: expect.any(String) },
        details: { email, role: "member" },
      },
    ]);
  });
});
