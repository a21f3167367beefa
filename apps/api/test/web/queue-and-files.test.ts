import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

const FIXTURES = new URL("../../../../packages/printers/test/fixtures/gcode/", import.meta.url);
/** PrusaSlicer's MK4S cube: 1 h 2 min 3 s, 7 g of PETG, with thumbnails. */
const CUBE = readFileSync(fileURLToPath(new URL("prusaslicer-mk4s.gcode", FIXTURES)), "utf8");
const HAND = readFileSync(fileURLToPath(new URL("hand-written.gcode", FIXTURES)), "utf8");

describeInBrowser("the files and queue pages in Chromium", () => {
  let services: TestServices;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name }).click();

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

  /** Drops files on the drop zone as a browser does: a drop event carrying a DataTransfer. */
  async function dropFiles(files: { name: string; text: string }[]) {
    const transfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name));
      return dt;
    }, files);
    await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
  }

  it(
    "uploads G-code dropped on the page and shows what the slicer wrote in it",
    async () => {
      await signUp(page, { from: server.url, organization: "Files Farm" });

      await nav("Files");
      await page.getByText("No files yet.").waitFor();
      await dropFiles([
        { name: "cube.gcode", text: CUBE },
        { name: "clip.gcode", text: HAND },
      ]);
      const cube = page.getByRole("article", { name: "cube.gcode" });
      await cube.waitFor();
      const facts = await cube.locator("dl").textContent();
      expect(facts).toContain("Print time1 h 2 min");
      expect(facts).toContain("Filament7.0 g");
      expect(facts).toContain("MaterialPETG");
      expect(facts).toContain("Printer modelMK4S");
      expect(facts).toContain("Nozzle0.40 mm");
      expect(await cube.locator("img.thumb").count()).toBe(1);
      await page.getByRole("article", { name: "clip.gcode" }).waitFor();
      await screenshot(page, "files");
      const uploads = page.getByRole("list", { name: "Uploads" });
      await eventually(() => uploads.getByText("uploaded").count()).toBe(2);

      // A file that is not G-code says why, next to its own progress bar.
      await dropFiles([{ name: "notes.txt", text: "not a print" }]);
      await eventually(() =>
        uploads.getByRole("listitem", { name: "notes.txt" }).getByRole("alert").textContent(),
      ).toMatch(/gcode/i);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "queues three copies of a file and one of another",
    async () => {
      const cube = page.getByRole("article", { name: "cube.gcode" });
      await cube.getByLabel("Copies").fill("3");
      await cube.getByRole("button", { name: "Queue 3 copies" }).click();
      await eventually(() => cube.getByRole("status").textContent()).toBe("3 copies queued.");
      const clip = page.getByRole("article", { name: "clip.gcode" });
      await clip.getByRole("button", { name: "Queue 1 copy" }).click();
      await eventually(() => clip.getByRole("status").textContent()).toBe("1 copy queued.");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "reorders the queue with the keyboard alone",
    async () => {
      await nav("Queue");
      const rows = page.getByRole("list", { name: "Queued jobs" }).getByRole("listitem");
      const order = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
      await eventually(order).toEqual([
        "1. cube.gcode",
        "2. cube.gcode",
        "3. cube.gcode",
        "4. clip.gcode",
      ]);
      await page.getByRole("button", { name: "Move clip.gcode up" }).focus();
      await page.keyboard.press("Enter");
      await eventually(order).toEqual([
        "1. cube.gcode",
        "2. cube.gcode",
        "3. clip.gcode",
        "4. cube.gcode",
      ]);
      // Focus stays on the moved job's button, so Enter again moves it on.
      await eventually(() =>
        page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      ).toBe("Move clip.gcode up");
      await page.keyboard.press("Enter");
      await eventually(order).toEqual([
        "1. cube.gcode",
        "2. clip.gcode",
        "3. cube.gcode",
        "4. cube.gcode",
      ]);
      await screenshot(page, "queue");
      // The server's order is the page's.
      const queued = await page.evaluate(async () => {
        const me = await (await fetch("/api/me")).json();
        const org = me.data.memberships[0].organization.id;
        const res = await fetch(`/api/orgs/${org}/jobs?status=queued`);
        return (await res.json()).data.map((j: { file_name: string; position: number }) => [
          j.position,
          j.file_name,
        ]);
      });
      expect(queued.sort((a: [number], b: [number]) => a[0] - b[0])).toEqual([
        [1, "cube.gcode"],
        [2, "clip.gcode"],
        [3, "cube.gcode"],
        [4, "cube.gcode"],
      ]);
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lists the jobs, filtered by status in the URL, and an empty worklist",
    async () => {
      await nav("Jobs");
      const rows = page.getByRole("table", { name: "Print jobs" }).locator("tbody tr");
      await eventually(() => rows.count()).toBe(4);
      await page.getByLabel("Status").focus();
      await page.getByLabel("Status").selectOption("completed");
      await page.getByText("No job matches these filters.").waitFor();
      expect(new URL(page.url()).searchParams.get("status")).toBe("completed");
      // The filter keeps the focus while the list changes under it.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("jobs-status");
      await page.getByLabel("Status").selectOption("queued");
      await eventually(() => rows.count()).toBe(4);
      expect(await rows.first().getByRole("cell").first().textContent()).toMatch(/\.gcode$/);

      await nav("Worklist");
      await page.getByText("Nothing to do.").waitFor();
      expect(problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
