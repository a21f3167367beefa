import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../src/context.ts";
import {
  describeInBrowser,
  eventually,
  launchChromium,
  STEP_TIMEOUT_MS,
  screenshot,
  serveApp,
  signUp,
  watchPage,
} from "../support/browser.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

// One browser for the whole file; the steps build on each other like one owner's first hour.
describeInBrowser("the dashboard in Chromium: keys, members, invitations, audit", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: Page;
  let invitee: Page;
  const problems: string[] = [];
  const tag = randomBytes(4).toString("hex");
  const ownerEmail = `owner-${tag}@example.test`;
  const inviteeEmail = `invitee-${tag}@example.test`;
  const password = `dashboard pass ${tag}`;
  let orgId = "";

  beforeAll(async () => {
    services = await createTestServices({ clock: systemClock });
    server = await serveApp(services);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  const publicPrinters = (key: string) =>
    fetch(`${server.url}/public/v1/printers`, { headers: { authorization: `Bearer ${key}` } });

  it(
    "signs up, mints a key in the page, and revokes it: the next call is 401 TOKEN_REVOKED",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      owner = await context.newPage();
      problems.push(...watchPage(owner));
      await owner.goto(`${server.url}/dashboard`);
      await owner.getByRole("heading", { name: "Sign in to apf" }).waitFor();
      await owner.getByRole("link", { name: "Sign up" }).click();
      ({ orgId } = await signUp(owner, {
        email: ownerEmail,
        password,
        organization: "Ridge Farm",
      }));
      await eventually(() => owner.getByText("No printers yet: install the agent.").count()).toBe(
        1,
      );

      await owner.getByRole("link", { name: "API keys" }).click();
      await owner.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
      // The API's error lands next to the field it names.
      const name = `Shop integration ${tag}`;
      await owner.getByLabel("Name").fill(name);
      await owner.getByRole("button", { name: "Mint key" }).click();
      await eventually(() =>
        owner
          .getByRole("group", { name: /Scopes/ })
          .getByRole("alert")
          .textContent(),
      ).toMatch(/must name at least one of printers:read/);

      // Every scope is described by what it lets a key do, Markdown code shown as code.
      const scopes = owner.getByRole("group", { name: "Scopes (what the key may do)" });
      expect(await scopes.textContent()).not.toContain("`");
      expect(await scopes.locator("code").allTextContents()).toEqual(
        expect.arrayContaining(["read", "write", "control"]),
      );
      await owner.getByLabel(/printers:read/).check();
      await owner.getByRole("button", { name: "Mint key" }).click();
      const secret = owner.getByLabel(`API key “${name}”`);
      await secret.waitFor();
      const key = await secret.inputValue();
      expect(key).toMatch(/^apf_live_[0-9a-f]{64}$/);
      await eventually(() => owner.getByText("you will not see it again").count()).toBe(1);
      await eventually(() => owner.getByRole("row", { name: new RegExp(name) }).count()).toBe(1);
      await screenshot(owner, "keys");

      const before = await publicPrinters(key);
      expect(before.status).toBe(200);

      await owner.getByRole("button", { name: `Revoke ${name}` }).click();
      await owner.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
      await eventually(() =>
        owner
          .getByRole("row", { name: new RegExp(name) })
          .getByText("Revoked")
          .count(),
      ).toBe(1);
      // The page stops showing the secret of a key that no longer works.
      await eventually(() => secret.count()).toBe(0);
      const after = await publicPrinters(key);
      expect(after.status).toBe(401);
      expect((await after.json()).code).toBe("TOKEN_REVOKED");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "shows what users typed as text, never as markup",
    async () => {
      const name = `<img src=x onerror="window.__xss=1"> ${tag}`;
      await owner.getByLabel("Name").fill(name);
      await owner.getByLabel(/jobs:read/).check();
      await owner.getByRole("button", { name: "Mint key" }).click();
      await eventually(() => owner.getByRole("cell", { name, exact: true }).count()).toBe(1);
      expect(await owner.locator("main img").count()).toBe(0);
      expect(await owner.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "hands over an invitation link that the invitee accepts through the page",
    async () => {
      await owner.getByRole("link", { name: "Members" }).click();
      await owner.getByRole("heading", { name: "Members", level: 1 }).waitFor();
      await owner.getByLabel("Email").fill(inviteeEmail);
      await owner.getByLabel("Role").selectOption("member");
      await owner.getByRole("button", { name: "Invite" }).click();
      const linkBox = owner.getByLabel("Invitation link");
      await linkBox.waitFor();
      const link = await linkBox.inputValue();
      expect(link).toMatch(/\/dashboard\/join#token=apf_inv_/);
      await eventually(() =>
        owner.getByRole("cell", { name: inviteeEmail, exact: true }).count(),
      ).toBe(1);

      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      invitee = await context.newPage();
      problems.push(...watchPage(invitee));
      await invitee.goto(link);
      await invitee
        .getByRole("heading", { name: "You are invited to an apf organization" })
        .waitFor();
      // The token left the address bar: it travels in the fragment and is kept for this tab only.
      expect(invitee.url()).not.toContain("apf_inv_");
      await invitee.getByRole("link", { name: "Sign up" }).click();
      await invitee.getByRole("heading", { name: "Sign up to accept your invitation" }).waitFor();
      await signUp(invitee, { email: inviteeEmail, password, organization: "Invitee's own farm" });
      await eventually(() =>
        invitee.getByLabel("Organization").evaluate((s: HTMLSelectElement) => s.value),
      ).toBe(orgId);

      await owner.reload();
      await eventually(() =>
        owner.getByRole("row", { name: new RegExp(inviteeEmail) }).textContent(),
      ).toMatch(/member/);
      await eventually(() => owner.getByText("No pending invitations.").count()).toBe(1);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "shows a member no button they may not use, and the API refuses them anyway",
    async () => {
      await invitee.getByRole("link", { name: "API keys" }).click();
      await invitee.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
      await eventually(() => invitee.getByRole("table").count()).toBe(1);
      expect(await invitee.getByRole("button", { name: "Mint key" }).count()).toBe(0);
      expect(await invitee.getByRole("button", { name: /^Revoke/ }).count()).toBe(0);
      expect(await invitee.getByRole("link", { name: "Audit log" }).count()).toBe(0);
      // Readable on a 360 px screen: nothing wider than the viewport but the tables' own scroll.
      expect(
        await invitee.evaluate(() => document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(360);

      const status = await invitee.evaluate(async (org) => {
        const res = await fetch(`/api/orgs/${org}/api-keys`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "sneaky", scopes: ["printers:read"] }),
        });
        return { status: res.status, code: (await res.json()).code };
      }, orgId);
      expect(status).toEqual({ status: 403, code: "FORBIDDEN" });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lists the audit log, filtered by a family of actions",
    async () => {
      await owner.getByRole("link", { name: "Audit log" }).click();
      await owner.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
      const actions = () => owner.getByRole("table").locator("tbody code").allTextContents();
      await eventually(actions).toEqual(
        expect.arrayContaining([
          "api_key.created",
          "api_key.revoked",
          "member.invited",
          "invitation.accepted",
        ]),
      );
      await screenshot(owner, "audit-log");
      await owner.getByLabel("Action").fill("api_key");
      await owner.getByRole("button", { name: "Filter" }).click();
      await eventually(actions).toEqual(["api_key.created", "api_key.revoked", "api_key.created"]);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "signs out, after which every screen asks to sign in again",
    async () => {
      await owner.getByRole("button", { name: "Sign out" }).click();
      await owner.getByRole("heading", { name: "Sign in to apf" }).waitFor();
      await owner.goto(`${server.url}/dashboard/keys`);
      await owner.getByRole("heading", { name: "Sign in to apf" }).waitFor();
      expect(new URL(owner.url()).searchParams.get("next")).toBe("/dashboard/keys");
      await owner.getByLabel("Email").fill(ownerEmail);
      await owner.getByLabel("Password").fill("not the password");
      await owner.getByRole("button", { name: "Sign in" }).click();
      await eventually(() =>
        owner.getByRole("form", { name: "Sign in" }).getByRole("alert").allTextContents(),
      ).toContainEqual(expect.stringMatching(/./));
      await owner.getByLabel("Password").fill(password);
      await owner.getByRole("button", { name: "Sign in" }).click();
      await owner.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
