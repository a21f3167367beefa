import { randomBytes } from "node:crypto";
import { tokenPreview } from "@apf/auth";
import { memberships, users } from "@apf/db";
import { and, eq } from "drizzle-orm";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../src/context.ts";
import {
  describeInBrowser,
  eventually,
  launchChromium,
  pageCall,
  STEP_TIMEOUT_MS,
  serveApp,
  signUp,
  watchPage,
} from "../support/browser.ts";
import { type Called, dataOf, failure } from "../support/dashboard-answers.ts";
import { createMember } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

// An owner's housekeeping in the page: a key rolled, a member promoted then removed, an
// invitation withdrawn; each checked in the page and then in what the server holds.
describeInBrowser("the dashboard in Chromium: rolling keys, roles, removal, withdrawal", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: Page;
  let orgId = "";
  const problems: string[] = [];
  const tag = randomBytes(4).toString("hex");

  beforeAll(async () => {
    services = await createTestServices({ clock: systemClock });
    server = await serveApp(services);
    browser = await launchChromium();
    owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    problems.push(...watchPage(owner));
    ({ orgId } = await signUp(owner, { from: server.url, organization: `Roll Farm ${tag}` }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  const nav = (name: string) =>
    owner.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name }).click();

  /** GET /public/v1/printers with the key: 200 while it works, else the 401's code. */
  async function publicPrinters(key: string): Promise<number | string> {
    const res = await fetch(`${server.url}/public/v1/printers`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.status === 200) return 200;
    return `${res.status} ${((await res.json()) as { code: string }).code}`;
  }

  /** A request to /api as someone holding a session token (not the page's own session). */
  async function callAs(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null } as Called;
  }

  const listKeys = async () =>
    dataOf(await pageCall(owner, "GET", `/api/orgs/${orgId}/api-keys`), "dashboardListApiKeys");
  const listMembers = async () =>
    dataOf(await pageCall(owner, "GET", `/api/orgs/${orgId}/members`), "dashboardListMembers");
  const listInvitations = async () =>
    dataOf(
      await pageCall(owner, "GET", `/api/orgs/${orgId}/invitations`),
      "dashboardListInvitations",
    );

  /** The keys table's row showing this key's preview. */
  const keyRow = (key: string) =>
    owner
      .getByRole("table", { name: "API keys of this organization" })
      .getByRole("row")
      .filter({ has: owner.getByText(tokenPreview(key), { exact: true }) });

  /** Rolls the key from its row with the grace chosen in its form; answers the new key shown. */
  async function roll(row: Locator, name: string, graceLabel: string) {
    const grace = row.getByLabel("Old key keeps working for");
    // The form stays open on a row after a roll from it; a click on "Roll…" would close it.
    if (!(await grace.isVisible())) await row.getByText("Roll…").click();
    await grace.selectOption({ label: graceLabel });
    await row
      .getByRole("form", { name: `Roll ${name}` })
      .getByRole("button", { name: "Roll" })
      .click();
  }

  /** The secret now shown once under "Key rolled", after it changed from `before`. */
  async function shownKey(name: string, before: string): Promise<string> {
    const box = owner.getByLabel(`API key “${name}”`);
    await eventually(() => box.inputValue()).not.toBe(before);
    return box.inputValue();
  }

  it(
    "rolls a key: the new one is shown once, the old one works only within its grace",
    async () => {
      await nav("API keys");
      await owner.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
      const name = `Rolled integration ${tag}`;
      await owner.getByLabel("Name").fill(name);
      await owner.getByLabel(/printers:read/).check();
      await owner.getByRole("button", { name: "Mint key" }).click();
      await owner.getByLabel(`API key “${name}”`).waitFor();
      const first = await owner.getByLabel(`API key “${name}”`).inputValue();
      expect(first).toMatch(/^apf_live_[0-9a-f]{64}$/);
      expect(await publicPrinters(first)).toBe(200);

      // Roll with an hour's grace: a new key, shown once; both work for now.
      const rolledAt = Date.now();
      await roll(keyRow(first), name, "1 hour");
      const second = await shownKey(name, first);
      expect(second).toMatch(/^apf_live_[0-9a-f]{64}$/);
      await owner.getByRole("heading", { name: "Key rolled", level: 2 }).waitFor();
      await eventually(() => owner.getByText("you will not see it again").count()).toBe(1);
      await eventually(() => keyRow(second).count()).toBe(1);
      expect(await publicPrinters(second)).toBe(200);
      expect(await publicPrinters(first)).toBe(200);
      const afterFirstRoll = await listKeys();
      const old = afterFirstRoll.find((k) => k.preview === tokenPreview(first));
      const current = afterFirstRoll.find((k) => k.preview === tokenPreview(second));
      expect(current).toMatchObject({ name, scopes: ["printers:read"], expires_at: null });
      // The old key now ends an hour after the roll (give the clocks a minute either way).
      const oldEnds = Date.parse(old?.expires_at ?? "");
      expect(oldEnds - rolledAt).toBeGreaterThan(3_600_000 - 60_000);
      expect(oldEnds - rolledAt).toBeLessThan(3_600_000 + 60_000);
      await eventually(() => keyRow(first).getByRole("cell").nth(6).textContent()).not.toBe(
        "never",
      );
      expect(await keyRow(first).getByText("Active").count()).toBe(1);

      // A key already rolled cannot be rolled again: the page names its replacement and offers
      // no roll for it, and the API refuses one; nothing changes.
      await owner.getByRole("heading", { name: "Key rolled", level: 2 }).waitFor();
      await eventually(() =>
        keyRow(first)
          .getByText(`replaced by ${tokenPreview(second)}`)
          .count(),
      ).toBe(1);
      expect(await keyRow(first).getByText("Roll…").count()).toBe(0);
      expect(await keyRow(second).getByText("Roll…").count()).toBe(1);
      const listedOld = (await listKeys()).find((k) => k.id === old?.id);
      expect(listedOld?.replaced_by).toEqual({ id: current?.id, preview: tokenPreview(second) });
      const again = await pageCall(owner, "POST", `/api/orgs/${orgId}/api-keys/${old?.id}/roll`, {
        grace_hours: 72,
      });
      expect(again.status).toBe(409);
      expect(JSON.stringify(again.body)).toMatch(/already rolled/);
      expect(await owner.getByLabel(`API key “${name}”`).inputValue()).toBe(second);
      expect(await listKeys()).toHaveLength(2);
      expect(await publicPrinters(first)).toBe(200);

      // Rolling the replacement with no grace stops it at once, and ends the first key's grace.
      await roll(keyRow(second), name, "Stop the old key now");
      const third = await shownKey(name, second);
      expect(await publicPrinters(third)).toBe(200);
      expect(await publicPrinters(second)).toBe("401 TOKEN_EXPIRED");
      expect(await publicPrinters(first)).toBe("401 TOKEN_EXPIRED");
      await eventually(() => keyRow(second).getByText("Expired").count()).toBe(1);
      await eventually(() => keyRow(first).getByText("Expired").count()).toBe(1);
      expect(await keyRow(third).getByText("Active").count()).toBe(1);
      const working = (await listKeys()).filter(
        (k) => k.expires_at === null || Date.parse(k.expires_at) > Date.now(),
      );
      expect(working.map((k) => k.preview)).toEqual([tokenPreview(third)]);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "changes a member's role in the page, and the API then lets them do what the role allows",
    async () => {
      const member = await createMember(services, orgId, "member");
      const email = member.user.email;
      const mintAsMember = () =>
        callAs(member.token, "POST", `/api/orgs/${orgId}/api-keys`, {
          name: `member's script ${tag}`,
          scopes: ["printers:read"],
        });
      expect(failure(await mintAsMember()).code).toBe("FORBIDDEN");

      await nav("Members");
      await owner.getByRole("heading", { name: "Members", level: 1 }).waitFor();
      const role = owner.getByLabel(`Role of ${email}`);
      const flash = owner.getByRole("status").filter({ hasText: "is now" });
      await eventually(() => role.inputValue()).toBe("member");
      await role.selectOption("admin");
      await eventually(() => flash.textContent()).toBe(`${email} is now admin.`);
      expect((await listMembers()).find((m) => m.user.email === email)?.role).toBe("admin");
      await owner.reload();
      await eventually(() => owner.getByLabel(`Role of ${email}`).inputValue()).toBe("admin");

      // The promotion is real: the same session may now mint a key.
      const minted = await mintAsMember();
      expect(minted.status).toBe(201);

      // And back: a member again, refused again.
      await owner.getByLabel(`Role of ${email}`).selectOption("member");
      await eventually(() => flash.textContent()).toBe(`${email} is now member.`);
      expect((await listMembers()).find((m) => m.user.email === email)?.role).toBe("member");
      expect(failure(await mintAsMember()).code).toBe("FORBIDDEN");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "removes a member after asking: they lose access, and the key they minted can be revoked there",
    async () => {
      const admin = await createMember(services, orgId, "admin");
      const email = admin.user.email;
      const scriptName = `admin's script ${tag}`;
      const minted = await callAs(admin.token, "POST", `/api/orgs/${orgId}/api-keys`, {
        name: scriptName,
        scopes: ["printers:read"],
      });
      const scriptKey = dataOf(minted, "dashboardCreateApiKey").key;
      expect(await publicPrinters(scriptKey)).toBe(200);

      await owner.goto(`${server.url}/dashboard/members`);
      await owner.getByRole("heading", { name: "Members", level: 1 }).waitFor();
      const row = owner.getByRole("row").filter({ has: owner.getByText(email, { exact: true }) });
      await eventually(() => row.count()).toBe(1);

      // Escape answers the question with Cancel: nothing happens.
      await row.getByRole("button", { name: `Remove ${email}` }).click();
      const ask = owner.getByRole("dialog", { name: new RegExp(`^Remove ${email}`) });
      await ask.waitFor();
      await owner.keyboard.press("Escape");
      await eventually(() => ask.count()).toBe(0);
      expect((await listMembers()).map((m) => m.user.email)).toContain(email);
      expect((await callAs(admin.token, "GET", `/api/orgs/${orgId}/members`)).status).toBe(200);

      await row.getByRole("button", { name: `Remove ${email}` }).click();
      await ask.getByRole("button", { name: "Remove member" }).click();
      await eventually(() => row.count()).toBe(0);
      expect((await listMembers()).map((m) => m.user.email)).not.toContain(email);
      const [membership] = await services.db
        .select()
        .from(memberships)
        .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, admin.user.id)));
      expect(membership).toBeUndefined();
      expect(failure(await callAs(admin.token, "GET", `/api/orgs/${orgId}/members`)).code).toBe(
        "NOT_FOUND",
      );

      // What they minted still works until the owner revokes it from the list offered.
      await owner.getByRole("heading", { name: "Credentials this person minted" }).waitFor();
      expect(await publicPrinters(scriptKey)).toBe(200);
      await owner.getByRole("button", { name: `Revoke API key “${scriptName}”` }).click();
      await owner.getByText(`API key “${scriptName}” revoked.`).waitFor();
      expect(await publicPrinters(scriptKey)).toBe("401 TOKEN_REVOKED");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "withdraws a pending invitation: it leaves the list and its link no longer signs anyone in",
    async () => {
      const gone = `withdrawn-${tag}@example.test`;
      const kept = `kept-${tag}@example.test`;
      await owner.goto(`${server.url}/dashboard/members`);
      await owner.getByRole("heading", { name: "Members", level: 1 }).waitFor();
      const invite = owner.getByRole("form", { name: "Invite someone" });
      let link = "";
      for (const email of [kept, gone]) {
        await invite.getByLabel("Email").fill(email);
        await invite.getByLabel("Role").selectOption("admin");
        await invite.getByRole("button", { name: "Invite" }).click();
        await eventually(() => owner.getByRole("cell", { name: email, exact: true }).count()).toBe(
          1,
        );
        link = await owner.getByLabel("Invitation link").inputValue();
      }
      expect(link).toMatch(/\/dashboard\/join#token=apf_inv_/);

      await owner.getByRole("button", { name: `Withdraw invitation for ${gone}` }).click();
      await owner
        .getByRole("dialog", { name: `Withdraw the invitation for ${gone}?` })
        .getByRole("button", { name: "Withdraw" })
        .click();
      await eventually(() => owner.getByRole("cell", { name: gone, exact: true }).count()).toBe(0);
      expect(await owner.getByRole("cell", { name: kept, exact: true }).count()).toBe(1);
      expect((await listInvitations()).map((i) => i.email)).toEqual([kept]);
      // The link shown for it is dead: the page no longer offers it to hand over.
      await eventually(() => owner.getByLabel("Invitation link").count()).toBe(0);

      // The link handed over before is dead: signing up with it is refused, and nothing is made.
      const invitee = await (
        await browser.newContext({ viewport: { width: 390, height: 800 } })
      ).newPage();
      problems.push(...watchPage(invitee));
      await invitee.goto(link);
      await invitee.getByRole("link", { name: "Sign up" }).click();
      await invitee.getByRole("heading", { name: "Sign up to accept your invitation" }).waitFor();
      await invitee.getByLabel("Email").fill(gone);
      await invitee.getByLabel("Password", { exact: true }).fill(`a long password ${tag}`);
      await invitee.getByLabel("Organization name").fill("Withdrawn's farm");
      await invitee.getByRole("button", { name: "Create account" }).click();
      await eventually(() =>
        invitee.getByRole("form", { name: "Sign up" }).getByRole("alert").allTextContents(),
      ).toContainEqual(expect.stringMatching(/no pending invitation/));
      expect(await invitee.getByRole("heading", { level: 1 }).textContent()).toBe(
        "Sign up to accept your invitation",
      );
      expect(await services.db.select().from(users).where(eq(users.email, gone))).toEqual([]);
      expect((await listMembers()).map((m) => m.user.email)).not.toContain(gone);
      // The dead invitation does not hold the tab: they can sign up on their own.
      await invitee.getByRole("button", { name: "Sign up without this invitation" }).click();
      await invitee.getByRole("heading", { name: "Create your apf account" }).waitFor();
      expect(await invitee.getByLabel("Invitation token").count()).toBe(0);
      await invitee.getByLabel("Email").fill(gone);
      await invitee.getByLabel("Password", { exact: true }).fill(`a long password ${tag}`);
      await invitee.getByLabel("Organization name").fill("Withdrawn's farm");
      await invitee.getByRole("button", { name: "Create account" }).click();
      await invitee.getByRole("heading", { name: "Printers" }).waitFor();
      const [joined] = await services.db.select().from(users).where(eq(users.email, gone));
      expect(joined?.email).toBe(gone);
      expect((await listMembers()).map((m) => m.user.email)).not.toContain(gone);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
