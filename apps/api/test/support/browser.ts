import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { describe, expect } from "vitest";
import { createApp } from "../../src/app.ts";
import { type Called, dataOf } from "./dashboard-answers.ts";
import type { TestServices } from "./services.ts";

/** Debian's chromium; the browser tests never download one. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here (Chromium at `executable` is absent), or null when they
 * can. Under CI=true a missing Chromium is an error, not a reason: CI must not pass a run that
 * never opened the dashboard (as scripts/test.mjs refuses CI without Postgres and Redis).
 */
export function chromiumSkipReason(
  executable: string = CHROMIUM,
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (existsSync(executable)) return null;
  if (env.CI === "true" || env.CI === "1") {
    throw new Error(
      `CI=${env.CI} needs Chromium for the browser tests, but ${executable} is absent (apt-get install -y chromium)`,
    );
  }
  return `${executable} is absent (apt-get install -y chromium)`;
}

/**
 * `describe` when Chromium is installed; else a skipped suite and a printed reason, or under
 * CI=true a failed file.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const reason = chromiumSkipReason();
  if (reason === null) {
    describe(name, body);
    return;
  }
  console.warn(`skipping "${name}": ${reason}`);
  describe.skip(name, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The whole app on a real port of 127.0.0.1, for a browser. */
export async function serveApp(services: TestServices) {
  const app = createApp(services);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Collects what would show a broken page: script errors and Content-Security-Policy
 * violations (which would mean something loads from elsewhere or runs inline).
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
  return problems;
}

const SCREENSHOTS = fileURLToPath(new URL("../../../../docs/screenshots/", import.meta.url));

/** Writes docs/screenshots/<name>.png (committed, shown in the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Who `signUp` created: the address and password typed, and the organization's id. */
export interface SignedUp {
  email: string;
  password: string;
  orgId: string;
}

/**
 * Signs up through the page as a person does: on the sign-up form the page shows, or first at
 * `${from}/dashboard/sign-up` when `from` (the server's URL) is given. Waits for the board that
 * follows, and answers the id of the organization named `organization` as /api/me lists it (for
 * an invitee, their own one; the one they joined is another membership).
 */
export async function signUp(
  page: Page,
  options: { organization: string; email?: string; password?: string; from?: string },
): Promise<SignedUp> {
  const email = options.email ?? `user-${randomBytes(4).toString("hex")}@example.test`;
  const password = options.password ?? `a long password ${randomBytes(4).toString("hex")}`;
  if (options.from !== undefined) await page.goto(`${options.from}/dashboard/sign-up`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Organization name").fill(options.organization);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Printers", level: 1 }).waitFor();
  const me = await pageCall(page, "GET", "/api/me");
  const orgId = dataOf(me, "dashboardGetMe").memberships.find(
    (m) => m.organization.name === options.organization,
  )?.organization.id;
  if (orgId === undefined)
    throw new Error(`/api/me lists no organization "${options.organization}"`);
  return { email, password, orgId };
}

/**
 * One JSON request to the app from inside the page, with its session cookie (as the dashboard
 * sends it); read the answer with answer, dataOf or failure (dashboard-answers.ts).
 */
export function pageCall(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<Called> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    { method, path, body },
  );
}

/** A browser step on a busy machine (CI shares its cores): long, but bounded. */
export const STEP_TIMEOUT_MS = 90_000;

/** expect.poll with room for a loaded machine; still fails when the page never gets there. */
export function eventually<T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: options.timeout ?? 20_000, interval: 250 });
}

let axeSource: string | undefined;

/**
 * axe-core's critical and serious violations on the page as it is now, as `rule: target…`
 * lines. The script is evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy does not govern (an injected <script> would be refused).
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(axeSource);
  const { passes, violations } = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(): Promise<{ passes: unknown[]; violations: unknown[] }> } }
    ).axe;
    const results = await axe.run();
    return {
      passes: results.passes.length,
      violations: results.violations as {
        id: string;
        impact: string | null;
        nodes: { target: string[] }[];
      }[],
    };
  });
  // A run that checked nothing would pass any page.
  if (passes === 0) throw new Error("axe-core checked no rule on the page");
  return violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
