import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../src/context.ts";
import {
  describeInBrowser,
  eventually,
  launchChromium,
  STEP_TIMEOUT_MS,
  screenshot,
  seriousAxeViolations,
  serveApp,
  signUp,
  watchPage,
} from "../support/browser.ts";
import { createJob, createPrinter } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

/** Every page under /dashboard/ once signed in, with the heading it shows. */
const PAGES: [path: string, heading: string][] = [
  ["printers", "Printers"],
  ["queue", "Queue"],
  ["files", "Files"],
  ["jobs", "Jobs"],
  ["worklist", "Worklist"],
  ["analytics", "Analytics"],
  ["inventory", "Inventory"],
  ["filament", "Filament"],
  ["keys", "API keys"],
  ["webhooks", "Webhooks"],
  ["agents", "Agents"],
  ["members", "Members"],
  ["settings", "Settings"],
  ["audit", "Audit log"],
  ["account", "Account"],
];

describeInBrowser("every page of the dashboard in Chromium", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let printerId = "";
  const problems: string[] = [];

  beforeAll(async () => {
    services = await createTestServices({ clock: systemClock });
    server = await serveApp(services);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    problems.push(...watchPage(page));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  async function open(path: string, heading: string) {
    await page.goto(`${server.url}/dashboard/${path}`);
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    // Wait for the page's data (its loading line goes).
    await page.waitForFunction(() => document.querySelector(".loading") === null);
  }

  it(
    "has no critical or serious axe-core violation, signed out or in",
    async () => {
      for (const [path, heading] of [
        ["sign-in", "Sign in to apf"],
        ["sign-up", "Create your apf account"],
      ] as const) {
        await open(path, heading);
        expect(await seriousAxeViolations(page), path).toEqual([]);
      }
      // On the sign-up page just checked.
      const { orgId } = await signUp(page, { organization: "Pages Farm" });
      const printer = await createPrinter(services.db, orgId, {
        name: "rack-1",
        lastSeenAt: new Date(),
      });
      printerId = printer.id;
      await createJob(services.db, orgId, {
        printerId,
        status: "completed",
        timeStarted: new Date(Date.now() - 3_600_000),
        timeCompleted: new Date(),
      });

      for (const [path, heading] of [...PAGES, [`printers/${printerId}`, "rack-1"]] as const) {
        await open(path, heading);
        expect(await seriousAxeViolations(page), path).toEqual([]);
        await screenshot(page, `page-${path.split("/")[0]}${path.includes("/") ? "-detail" : ""}`);
      }
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    "fits a 390 px phone: no page scrolls sideways but inside its tables",
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [path, heading] of [...PAGES, [`printers/${printerId}`, "rack-1"]] as const) {
        await open(path, heading);
        const wide = await page.evaluate(() =>
          document.documentElement.scrollWidth > 390
            ? [...document.querySelectorAll("main *")]
                .filter(
                  (el) => el.getBoundingClientRect().right > 390 && !el.closest(".table-wrap"),
                )
                .slice(0, 3)
                .map((el) => `${el.tagName}.${el.className}`)
            : [],
        );
        expect(wide, path).toEqual([]);
      }
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    "saves the organization's time zone on the settings page, and refuses an unknown one by the field",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await open("settings", "Settings");
      const zone = page.getByLabel("Time zone");
      await zone.fill("Mars/Olympus");
      await page.getByRole("button", { name: "Save settings" }).click();
      await eventually(() =>
        page.locator('[data-field="time_zone"]').getByRole("alert").textContent(),
      ).toMatch(/./);
      await zone.fill("Europe/Berlin");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Settings saved.").waitFor();
      const saved = await page.evaluate(async () => {
        const me = await (await fetch("/api/me")).json();
        const org = me.data.memberships[0].organization.id;
        return (await (await fetch(`/api/orgs/${org}`)).json()).data.time_zone;
      });
      expect(saved).toBe("Europe/Berlin");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "adds a filament spool, after the API named the missing field",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await open("filament", "Filament");
      await page.getByText("No spools yet.").waitFor();
      const form = page.getByRole("form", { name: "Add a spool" });
      await form.getByLabel("Remaining grams").fill("750");
      await form.getByRole("button", { name: "Add spool" }).click();
      await eventually(() =>
        form.locator('[data-field="type"]').getByRole("alert").textContent(),
      ).toMatch(/./);
      await form.getByLabel("Type", { exact: true }).fill("PETG");
      await form.getByLabel("Colour (optional)").fill("Galaxy black");
      await form.getByRole("button", { name: "Add spool" }).click();
      const row = page.getByRole("table", { name: "Filament spools" }).getByRole("row", {
        name: /PETG/,
      });
      await eventually(() => row.textContent()).toMatch(/Galaxy black.*750 g.*available/);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "adds a SKU, after the API named the missing field, and adjusts its stock with a reason",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await open("inventory", "Inventory");
      await page.getByText("No SKUs yet.").waitFor();
      const form = page.getByRole("form", { name: "Add a SKU" });
      await form.getByLabel("SKU", { exact: true }).fill("BENCHY-RED");
      await form.getByRole("button", { name: "Add SKU" }).click();
      await eventually(() =>
        form.locator('[data-field="product_name"]').getByRole("alert").textContent(),
      ).toMatch(/./);
      await form.getByLabel("Product name").fill("Benchy");
      await form.getByLabel("Colour (optional)").fill("red");
      await form.getByRole("button", { name: "Add SKU" }).click();
      const row = page.getByRole("table", { name: "Stock by SKU" }).getByRole("row", {
        name: /BENCHY-RED/,
      });
      await eventually(() => row.textContent()).toMatch(/Benchy.*red/);
      await row.getByText("Adjust…").click();
      const adjust = row.getByRole("form", { name: "Adjust stock of BENCHY-RED" });
      await adjust.getByLabel("Change (+/−)").fill("5");
      await adjust.getByLabel("Reason").fill("counted the shelf");
      await adjust.getByRole("button", { name: "Apply" }).click();
      await page.getByText("Stock of BENCHY-RED adjusted.").waitFor();
      expect(await row.getByRole("cell").nth(3).textContent()).toBe("5");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "shows each page's link in the navigation, current page marked",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await open("printers", "Printers");
      const nav = page.getByRole("navigation", { name: "Dashboard" });
      for (const [path, heading] of PAGES) {
        const link = nav.getByRole("link", {
          name: heading === "Audit log" ? "Audit log" : undefined,
        });
        expect(link, path).toBeDefined();
        await nav.locator(`a[href="/dashboard/${path}"]`).click();
        await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
        expect(await nav.locator('a[aria-current="page"]').getAttribute("href")).toBe(
          `/dashboard/${path}`,
        );
      }
    },
    STEP_TIMEOUT_MS,
  );
});
