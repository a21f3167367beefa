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
import { createJob, createPrinter } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { startReceiver } from "../webhooks/receiver.ts";

describeInBrowser("the webhooks and analytics pages in Chromium", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const problems: string[] = [];

  beforeAll(async () => {
    services = await createTestServices({
      clock: systemClock,
      // The receiver listens on 127.0.0.1 over plain http.
      env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1" },
      webhooks: { worker: true, pollIntervalMs: 100 },
    });
    server = await serveApp(services);
    receiver = await startReceiver();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    problems.push(...watchPage(page));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
    await services?.close();
  });

  it(
    "creates an endpoint, shows its secret once, and shows its test delivery",
    async () => {
      await signUp(page, { from: server.url, organization: "Hooks Farm" });
      await page
        .getByRole("navigation", { name: "Dashboard" })
        .getByRole("link", { name: "Webhooks" })
        .click();
      await page.getByText("No endpoints yet.").waitFor();

      await page.getByLabel("URL").fill(receiver.url);
      await page.getByLabel("job.completed").check();
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const secret = page.getByLabel(`Signing secret for ${receiver.url}`);
      await secret.waitFor();
      expect(await secret.inputValue()).toMatch(/^whsec_/);
      const card = page.getByRole("article", { name: receiver.url });
      await eventually(() => card.textContent()).toContain("Events: job.completed");

      await card.getByRole("button", { name: "Send test event" }).click();
      const deliveries = card.getByRole("table", { name: `Deliveries to ${receiver.url}` });
      await eventually(() => deliveries.locator("tbody tr").first().textContent()).toMatch(
        /ping.*delivered.*HTTP 200/,
      );
      await screenshot(page, "webhooks");
      expect(receiver.received.length).toBeGreaterThanOrEqual(1);
      expect(receiver.received[0]!.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "reads yesterday's prints on the analytics page, and changes the window",
    async () => {
      const orgId = await page.evaluate(async () => {
        const me = await (await fetch("/api/me")).json();
        return me.data.memberships[0].organization.id as string;
      });
      const printer = await createPrinter(services.db, orgId, { name: "rack-9" });
      const day = 86_400_000;
      const yesterday = new Date(Date.now() - day);
      for (const status of ["completed", "completed", "failed"] as const) {
        await createJob(services.db, orgId, {
          printerId: printer.id,
          status,
          failureReason: status === "failed" ? "Thermal runaway on T0" : null,
          timeStarted: new Date(yesterday.getTime() - 60_000),
          timeCompleted: yesterday,
        });
      }
      await page
        .getByRole("navigation", { name: "Dashboard" })
        .getByRole("link", { name: "Analytics" })
        .click();
      await eventually(() => page.getByTestId("yesterday").textContent()).toMatch(
        /^Yesterday: 2 completed, 1 failed/,
      );
      // Both charts are drawn, each with its figures as a table.
      expect(await page.locator("figure.chart canvas").count()).toBeGreaterThanOrEqual(2);
      await screenshot(page, "analytics");
      await page.getByText("Prints per day: the figures").click();
      expect(
        await page.getByRole("table", { name: "Prints per day" }).locator("tbody tr").count(),
      ).toBe(30);
      expect(
        await page.getByRole("list", { name: "Utilization per printer" }).textContent(),
      ).toContain("rack-9");
      expect(await page.getByRole("list", { name: "Failures by reason" }).textContent()).toMatch(
        /1$/,
      );

      await page.getByLabel("Window", { exact: true }).selectOption("7");
      await eventually(() =>
        page.getByRole("table", { name: "Prints per day" }).locator("tbody tr").count(),
      ).toBe(7);
      expect(new URL(page.url()).searchParams.get("days")).toBe("7");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
