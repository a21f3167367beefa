import { randomBytes } from "node:crypto";
import { printers } from "@apf/db";
import { setPrinterMaintenance } from "@apf/db/queries/printers";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../src/context.ts";
import { type AgentFarm, startAgentFarm } from "../support/agent-farm.ts";
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

// Like the demo: simulated OctoPrint hosts printing in a loop, and a real agent reporting them.
describeInBrowser("the printer board in Chromium", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let farm: AgentFarm;
  const problems: string[] = [];
  const octoprintKey = randomBytes(16).toString("hex");

  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name }).click();

  beforeAll(async () => {
    services = await createTestServices({ clock: systemClock });
    server = await serveApp(services);
    farm = await startAgentFarm(services, {
      count: 3,
      apiKey: octoprintKey,
      autoPrint: {
        files: ["benchy.gcode", "phone_stand.gcode"],
        durationS: 90,
        idleS: 5,
        heatS: 1,
      },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    problems.push(...watchPage(page));
  });
  afterAll(async () => {
    await farm?.close();
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  it(
    "says what to do when there are no printers, then creates an agent whose agent.json runs as is",
    async () => {
      await signUp(page, { from: server.url, organization: "Board Farm" });
      await page.getByText("No printers yet: install the agent.").waitFor();

      await nav("Agents");
      await page.getByLabel("Name").fill("workshop pi");
      await page.getByRole("button", { name: "Create agent" }).click();
      const box = page.getByLabel("agent.json for “workshop pi”");
      await box.waitFor();
      const config = JSON.parse(await box.inputValue());
      expect(config.api_url).toBe(server.url);
      expect(config.agent_token).toMatch(/^apf_agent_[0-9a-f]{64}$/);

      // The technician's part: list the printers, then run the agent with the file.
      await farm.runAgent(config, (i) => `rack-${i + 1}`);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "shows a printer's progress changing, without reloading the page",
    async () => {
      await nav("Printers");
      await page.evaluate(() => {
        (window as { __sameDocument?: boolean }).__sameDocument = true;
      });
      const progress = page.getByRole("article", { name: "rack-1" }).getByTestId("progress");
      await eventually(() => progress.textContent(), { timeout: 30_000 }).toMatch(/%$/);
      const first = await progress.textContent();
      await eventually(() => progress.textContent(), { timeout: 30_000 }).not.toBe(first);
      expect(
        await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      await eventually(() => page.getByRole("article").count()).toBe(3);
      // The nozzle's reading (OctoPrint's tool0) in words, with its target.
      await eventually(() =>
        page
          .getByRole("article", { name: "rack-1" })
          .getByText(/^Nozzle [\d.]+ \/ [\d.]+ °C$/)
          .count(),
      ).toBe(1);
      await screenshot(page, "printers");
    },
    STEP_TIMEOUT_MS,
  );

  /** A printer early in its print (so that it is still printing a minute later). */
  async function earlyPrinter(): Promise<string> {
    let chosen = "";
    await eventually(
      async () => {
        for (const name of ["rack-1", "rack-2", "rack-3"]) {
          const card = page.getByRole("article", { name });
          const text = (await card.getByTestId("progress").textContent()) ?? "";
          const buttons = await card.getByRole("button", { name: `Pause ${name}` }).count();
          if (buttons === 1 && Number.parseFloat(text) < 40) {
            chosen = name;
            return name;
          }
        }
        return "";
      },
      { timeout: 60_000 },
    ).not.toBe("");
    return chosen;
  }

  it(
    "redraws a card in place: a focused button keeps focus while events change the card",
    async () => {
      const name = await earlyPrinter();
      const card = page.getByRole("article", { name });
      const pause = card.getByRole("button", { name: `Pause ${name}` });
      await pause.focus();
      await pause.evaluate((el) => {
        (el as HTMLElement & { __marked?: boolean }).__marked = true;
      });
      const progress = card.getByTestId("progress");
      const before = await progress.textContent();
      await eventually(() => progress.textContent(), { timeout: 30_000 }).not.toBe(before);
      // The same element (not a redrawn copy) still has the focus.
      expect(
        await page.evaluate(
          () => (document.activeElement as HTMLElement & { __marked?: boolean }).__marked,
        ),
      ).toBe(true);
      expect(await page.getByTestId("live").textContent()).toMatch(/^Live/);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "pauses and resumes a print from its card, and asks before stopping it",
    async () => {
      const name = await earlyPrinter();
      const card = page.getByRole("article", { name });
      await card.getByRole("button", { name: `Stop ${name}` }).click();
      const dialog = page.getByRole("dialog", { name: `Stop the print on ${name}?` });
      await dialog.getByRole("button", { name: "Cancel" }).click();
      expect(await dialog.count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
        `Stop ${name}`,
      );

      await card.getByRole("button", { name: `Pause ${name}` }).click();
      await eventually(() => card.locator(".badge").textContent(), { timeout: 30_000 }).toBe(
        "paused",
      );
      await card.getByRole("button", { name: `Resume ${name}` }).click();
      await eventually(() => card.locator(".badge").textContent(), { timeout: 30_000 }).toBe(
        "printing",
      );
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "filters the board and opens a printer's detail with its jobs",
    async () => {
      await page.getByLabel("Search").fill("rack-2");
      await eventually(() => page.getByRole("article").count()).toBe(1);
      await page.getByLabel("Search").fill("no such printer");
      await page.getByText("No printer matches the filter.").waitFor();
      await page.getByLabel("Search").fill("");
      await eventually(() => page.getByRole("article").count()).toBe(3);

      await page.getByRole("link", { name: "rack-1" }).click();
      await page.getByRole("heading", { name: "rack-1", level: 1 }).waitFor();
      await eventually(() =>
        page.getByRole("table", { name: "Print jobs" }).getByRole("row").count(),
      ).toBeGreaterThan(1);

      await nav("Agents");
      await eventually(() =>
        page
          .getByRole("row", { name: /workshop pi/ })
          .getByRole("cell")
          .nth(2)
          .textContent(),
      ).toBe("3");
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "offers the commands the server allows, none while a printer is in maintenance",
    async () => {
      const [rack2] = await services.db.select().from(printers).where(eq(printers.name, "rack-2"));
      await setPrinterMaintenance(
        services.db,
        rack2!.organizationId,
        rack2!.id,
        { inMaintenance: true, maintenanceType: "nozzle" },
        new Date(),
      );
      await nav("Printers");
      const card = page.getByRole("article", { name: "rack-2" });
      await eventually(() => card.getByText("maintenance", { exact: true }).count()).toBe(1);
      await eventually(() => card.getByTestId("commands").textContent()).toBe("none now");

      await page.getByRole("link", { name: "rack-2" }).click();
      await page.getByRole("heading", { name: "rack-2", level: 1 }).waitFor();
      const commands = page.getByRole("group", { name: "Commands for rack-2" });
      await commands.getByText("No command fits the printer now.").waitFor();
      expect(await commands.getByRole("button").count()).toBe(0);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
