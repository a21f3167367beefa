import { randomUUID } from "node:crypto";
import { agents, organizations, printFiles, tasks } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent, createApiKey } from "../support/factories.ts";
import { createJob, createPrinter, createSku, createSpool } from "../support/public-factories.ts";
import { TestClock, type TestServices } from "../support/services.ts";
import { answer, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

// A farm in New York (UTC−5 in November). Now: 2026-11-23 15:00 UTC = 10:00 in New York.
// The window 2026-11-20 … 2026-11-22 runs from 2026-11-20T05:00Z to 2026-11-23T05:00Z: 72 h.
const NOW = "2026-11-23T15:00:00.000Z";
const WINDOW = "from=2026-11-20&to=2026-11-22";
const at = (iso: string) => new Date(iso);

let services: TestServices;
let app: TestApp;
let clock: TestClock;
let key: string;
let other: Awaited<ReturnType<typeof tenant>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  clock = new TestClock(at(NOW));
  services = await publicTestServices({ clock });
  app = createApp(services);
  const t = await tenant(services.db, "New York farm");
  key = t.key;
  const org = t.organization.id;
  await services.db
    .update(organizations)
    .set({ timeZone: "America/New_York" })
    .where(eq(organizations.id, org));
  // The rollups are regrouped in the background: at once here.
  await services.jobStats.regroupOnce();
  const now = clock.now();
  const p1 = await createPrinter(services.db, org, { name: "P1", lastSeenAt: now });
  const p2 = await createPrinter(services.db, org, {
    name: "P2",
    lastSeenAt: now,
    inMaintenance: true,
  });
  const p3 = await createPrinter(services.db, org, {
    name: "P3",
    status: "printing",
    lastSeenAt: now,
  });
  Object.assign(ids, { p1: p1.id, p2: p2.id, p3: p3.id, org });
  const widget = await createSku(services.db, org, {
    productName: "Widget",
    readyStock: 2,
    lowStockThreshold: 5,
    color: "Red",
  });
  ids.product = widget.productId;
  ids.inventory = widget.inventoryId;
  const file = async (grams: number, type: string | null) => {
    const id = randomUUID();
    await services.db.insert(printFiles).values({
      id,
      organizationId: org,
      name: `f-${id}`,
      originalFilename: "f.gcode",
      storageKey: `k-${id}`,
      fileSizeBytes: 1,
      sha256: "0".repeat(64),
      filamentWeightGrams: grams,
      filamentType: type,
    });
    return id;
  };
  // J1: P1, 6 h on the 20th (New York), 2 units of the Widget, 50 g of PLA.
  await createJob(services.db, org, {
    printerId: p1.id,
    status: "completed",
    productSkuId: widget.id,
    numberOfUnits: 2,
    timeStarted: at("2026-11-20T14:00:00Z"),
    timeCompleted: at("2026-11-20T20:00:00Z"),
    printFileId: await file(50, "PLA"),
  });
  // J2: P1, 4 h from 22:00 on the 20th to 02:00 on the 21st: counts on the 21st. 30 g, PETG by the job.
  await createJob(services.db, org, {
    printerId: p1.id,
    status: "completed",
    materialType: "PETG",
    timeStarted: at("2026-11-21T03:00:00Z"),
    timeCompleted: at("2026-11-21T07:00:00Z"),
    printFileId: await file(30, null),
  });
  // J3, J4: P2 failed on the 22nd (07:00 and 22:00 New York), 2 h and 1 h.
  await createJob(services.db, org, {
    printerId: p2.id,
    status: "failed",
    fileName: "bracket.gcode",
    failureReason: "Thermal runaway on T0 at 215.3C",
    timeStarted: at("2026-11-22T10:00:00Z"),
    timeCompleted: at("2026-11-22T12:00:00Z"),
  });
  const j4 = await createJob(services.db, org, {
    printerId: p2.id,
    status: "failed",
    fileName: "bracket.gcode",
    failureReason: "thermal runaway on T1 at 230C",
    timeStarted: at("2026-11-23T02:00:00Z"),
    timeCompleted: at("2026-11-23T03:00:00Z"),
  });
  ids.j4 = j4.id;
  // J5: P1, ended 01:00 on the 23rd (today): outside the window, in today's counts.
  await createJob(services.db, org, {
    printerId: p1.id,
    status: "completed",
    timeStarted: at("2026-11-23T05:00:00Z"),
    timeCompleted: at("2026-11-23T06:00:00Z"),
  });
  // J6: P1, ended 23:00 on the 19th: before the window.
  await createJob(services.db, org, {
    printerId: p1.id,
    status: "completed",
    timeStarted: at("2026-11-20T03:00:00Z"),
    timeCompleted: at("2026-11-20T04:00:00Z"),
  });
  // J7: P3 printing since 18:00 on the 22nd: 6 h inside the window (clipped at its end).
  await createJob(services.db, org, {
    printerId: p3.id,
    status: "printing",
    timeStarted: at("2026-11-22T23:00:00Z"),
  });
  await createJob(services.db, org, { status: "queued" });
  await createSpool(services.db, org, { type: "PLA", remainingGrams: 100, lowThreshold: 200 });
  await createSpool(services.db, org, { type: "PETG", remainingGrams: 900, lowThreshold: 200 });
  await services.db.insert(tasks).values([
    { organizationId: org, taskType: "collection", title: "Collect" },
    { organizationId: org, taskType: "maintenance", title: "Oil" },
    { organizationId: org, taskType: "collection", title: "Done", status: "completed" },
  ]);
  const online = await createAgent(services.db, org, "online");
  const silent = await createAgent(services.db, org, "silent");
  const revoked = await createAgent(services.db, org, "revoked");
  await services.db.update(agents).set({ lastSeenAt: now }).where(eq(agents.id, online.id));
  await services.db
    .update(agents)
    .set({ lastSeenAt: at("2026-11-23T14:00:00Z") })
    .where(eq(agents.id, silent.id));
  await services.db
    .update(agents)
    .set({ lastSeenAt: now, revokedAt: now })
    .where(eq(agents.id, revoked.id));
  other = await tenant(services.db, "Other farm");
  const theirs = await createPrinter(services.db, other.organization.id, { lastSeenAt: now });
  await createJob(services.db, other.organization.id, {
    printerId: theirs.id,
    status: "failed",
    failureReason: "theirs",
    timeStarted: at("2026-11-21T10:00:00Z"),
    timeCompleted: at("2026-11-21T11:00:00Z"),
  });
});
afterAll(() => services.close());

/** The analytics reports by path, and their operations in the document. */
const REPORTS = {
  production: "getProductionAnalytics",
  printers: "getPrinterAnalytics",
  failures: "getFailureAnalytics",
  inventory: "getInventoryAnalytics",
  overview: "getAnalyticsOverview",
} as const;
type Report = keyof typeof REPORTS;

/** A report (`query` with its leading "?"), answered as the document types it. */
async function get<R extends Report>(report: R, query = "", withKey = key) {
  const res = await call(app, `/public/v1/analytics/${report}${query}`, { key: withKey });
  return { status: res.status, json: await answer(res, REPORTS[report]) };
}

/** A request the report refuses. */
async function refused(report: Report, query = "", withKey = key) {
  const res = await call(app, `/public/v1/analytics/${report}${query}`, { key: withKey });
  return { status: res.status, json: await failure(res) };
}

describe("GET /public/v1/analytics/production", () => {
  it("counts each job on the day it ended in the organization's time zone", async () => {
    const { status, json } = await get("production", `?${WINDOW}`);
    expect(status).toBe(200);
    expect(json.data).toEqual({
      date_range: { from: "2026-11-20", to: "2026-11-22", time_zone: "America/New_York" },
      summary: {
        jobs_completed: 2,
        jobs_failed: 2,
        completion_rate: 50,
        units_produced: 3,
        total_print_time_hours: 10,
      },
      daily: [
        {
          date: "2026-11-20",
          jobs_completed: 1,
          jobs_failed: 0,
          units_produced: 2,
          total_print_time_minutes: 360,
        },
        {
          date: "2026-11-21",
          jobs_completed: 1,
          jobs_failed: 0,
          units_produced: 1,
          total_print_time_minutes: 240,
        },
        {
          date: "2026-11-22",
          jobs_completed: 0,
          jobs_failed: 2,
          units_produced: 0,
          total_print_time_minutes: 0,
        },
      ],
    });
  });

  it("filters by printer and by product", async () => {
    const byPrinter = await get("production", `?${WINDOW}&printer_id=${ids.p2}`);
    expect(byPrinter.json.data.summary).toEqual({
      jobs_completed: 0,
      jobs_failed: 2,
      completion_rate: 0,
      units_produced: 0,
      total_print_time_hours: 0,
    });
    const byProduct = await get("production", `?${WINDOW}&product_id=${ids.product}`);
    expect(byProduct.json.data.summary).toEqual({
      jobs_completed: 1,
      jobs_failed: 0,
      completion_rate: 100,
      units_produced: 2,
      total_print_time_hours: 6,
    });
  });

  it("defaults to the thirty days ending today in the organization's time zone", async () => {
    const { json } = await get("production");
    expect(json.data.date_range).toMatchObject({ from: "2026-10-25", to: "2026-11-23" });
    expect(json.data.daily).toHaveLength(30);
    expect(json.data.daily[0]?.date).toBe("2026-10-25");
    // Across the end of daylight saving time (1 November) every day is there once.
    expect(new Set(json.data.daily.map((d) => d.date)).size).toBe(30);
    expect(json.data.daily.at(-1)).toMatchObject({ date: "2026-11-23", jobs_completed: 1 });
    // J6 ended on the 19th, J5 today: six jobs ended in these thirty days.
    expect(json.data.summary).toMatchObject({ jobs_completed: 4, jobs_failed: 2 });
  });

  it("reads today where the organization is (Auckland is already on the 24th)", async () => {
    await services.db
      .update(organizations)
      .set({ timeZone: "Pacific/Auckland" })
      .where(eq(organizations.id, other.organization.id));
    await services.jobStats.regroupOnce();
    const { json } = await get("production", "", other.key);
    expect(json.data.date_range).toEqual({
      from: "2026-10-26",
      to: "2026-11-24",
      time_zone: "Pacific/Auckland",
    });
  });

  it.each([
    ["from=2026-11-23&to=2026-11-22", "from", "must be on or before"],
    ["from=2025-11-20&to=2026-11-22", "to", "at most 366"],
    ["from=2026-13-01", "from", "YYYY-MM-DD"],
    ["from=2026-02-30", "from", "YYYY-MM-DD"],
    ["to=yesterday", "to", "YYYY-MM-DD"],
    ["printer_id=P1", "printer_id", "UUID"],
    ["product_id=1", "product_id", "UUID"],
  ])("answers 400 INVALID_REQUEST for %s naming %s", async (query, parameter, words) => {
    const { status, json } = await refused("production", `?${query}`);
    expect(status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${parameter}"`);
    expect(json.error).toContain(words);
  });

  it("accepts a window of exactly 366 days", async () => {
    const { status, json } = await get("production", "?from=2025-11-22&to=2026-11-22");
    expect(status).toBe(200);
    expect(json.data.daily).toHaveLength(366);
  });
});

describe("GET /public/v1/analytics/printers", () => {
  it("reports each printer's jobs and its printing time over the window's length", async () => {
    const { status, json } = await get("printers", `?${WINDOW}`);
    expect(status).toBe(200);
    expect(json.data.printers).toEqual([
      {
        printer_id: ids.p1,
        name: "P1",
        status: "idle",
        in_maintenance: false,
        total_jobs: 2,
        completed: 2,
        failed: 0,
        success_rate: 100,
        failure_count: 0,
        total_print_hours: 10,
        utilization_percent: 13.89, // 10 h of 72
      },
      {
        printer_id: ids.p2,
        name: "P2",
        status: "maintenance",
        in_maintenance: true,
        total_jobs: 2,
        completed: 0,
        failed: 2,
        success_rate: 0,
        failure_count: 2,
        total_print_hours: 3,
        utilization_percent: 4.17, // 3 h of 72
      },
      {
        printer_id: ids.p3,
        name: "P3",
        status: "printing",
        in_maintenance: false,
        total_jobs: 0,
        completed: 0,
        failed: 0,
        success_rate: 0,
        failure_count: 0,
        total_print_hours: 6, // 23:00Z to the window's end at 05:00Z
        utilization_percent: 8.33,
      },
    ]);
    expect(json.data.summary).toEqual({
      total_printers: 3,
      average_utilization: 8.8, // (13.89 + 4.17 + 8.33) / 3
      average_success_rate: 50, // P1 and P2; P3 finished nothing
      total_jobs: 4,
      total_print_hours: 19,
    });
  });

  it("clips jobs to the window and the window's end to now", async () => {
    // Today (the 23rd) in New York began at 05:00Z; now is 15:00Z: 10 h so far.
    // P3 printed from 05:00Z to now (10 h): 100 %. P1: J5 05:00Z–06:00Z: 1 h of 10 = 10 %.
    const today = await get("printers", "?from=2026-11-23&to=2026-11-23");
    const util = Object.fromEntries(
      today.json.data.printers.map((p) => [p.name, p.utilization_percent]),
    );
    expect(util).toEqual({ P1: 10, P2: 0, P3: 100 });
    // The 21st in New York is 05:00Z to 05:00Z: J2 (03:00Z–07:00Z) printed 2 h of it: 2 / 24.
    const day = await get("printers", "?from=2026-11-21&to=2026-11-21");
    expect(day.json.data.printers[0]).toMatchObject({ name: "P1", utilization_percent: 8.33 });
    // The 20th: J1 6 h and J2's first 2 h (22:00–24:00 New York) = 8 h of 24.
    const twentieth = await get("printers", "?from=2026-11-20&to=2026-11-20");
    expect(twentieth.json.data.printers[0]).toMatchObject({
      name: "P1",
      total_print_hours: 8,
      utilization_percent: 33.33,
    });
    // The 22nd: P3 printed from 18:00 to midnight, 6 h of a 24 h day: 25 %.
    const twentySecond = await get("printers", "?from=2026-11-22&to=2026-11-22");
    expect(twentySecond.json.data.printers[2]).toMatchObject({
      name: "P3",
      total_print_hours: 6,
      utilization_percent: 25,
    });
  });
});

describe("GET /public/v1/analytics/failures", () => {
  it("groups the window's failures by normalised reason, printer, file and day", async () => {
    const { status, json } = await get("failures", `?${WINDOW}`);
    expect(status).toBe(200);
    expect(json.data.summary).toEqual({ total_failures: 2 });
    expect(json.data.by_type).toEqual([
      { reason: "thermal runaway on t# at #c", count: 2, percentage: 100 },
    ]);
    expect(json.data.by_printer).toEqual([{ printer_id: ids.p2, printer_name: "P2", count: 2 }]);
    expect(json.data.by_file).toEqual([{ file_name: "bracket.gcode", count: 2 }]);
    expect(json.data.daily_trend).toEqual([
      { date: "2026-11-20", count: 0 },
      { date: "2026-11-21", count: 0 },
      { date: "2026-11-22", count: 2 },
    ]);
    expect(json.data.recent.map((r) => r.failed_at)).toEqual([
      "2026-11-23T03:00:00.000Z",
      "2026-11-22T12:00:00.000Z",
    ]);
    expect(json.data.recent[0]).toEqual({
      job_id: ids.j4,
      printer_id: ids.p2,
      printer_name: "P2",
      file_name: "bracket.gcode",
      reason: "thermal runaway on t# at #c",
      failure_reason: "thermal runaway on T1 at 230C",
      failed_at: "2026-11-23T03:00:00.000Z",
    });
  });
});

describe("GET /public/v1/analytics/inventory", () => {
  it("reports low stock, spools and grams used by completed jobs by material and day", async () => {
    const { status, json } = await get("inventory", `?${WINDOW}`);
    expect(status).toBe(200);
    expect(json.data.summary).toEqual({
      low_stock_skus: 1,
      low_filament_spools: 1,
      total_material_types: 2,
    });
    expect(json.data.low_stock_items).toEqual([
      expect.objectContaining({
        id: ids.inventory,
        color: "Red",
        stock_level: 2,
        low_stock_threshold: 5,
        product_name: "Widget",
      }),
    ]);
    expect(
      json.data.filament_inventory.map((s) => [s.type, s.remaining_grams, s.low_threshold]),
    ).toEqual([
      ["PLA", 100, 200],
      ["PETG", 900, 200],
    ]);
    expect(json.data.material_usage).toEqual([
      { material_type: "PLA", total_usage: 50 },
      { material_type: "PETG", total_usage: 30 },
    ]);
    expect(json.data.usage_trend).toEqual([
      { date: "2026-11-20", usage: 50 },
      { date: "2026-11-21", usage: 30 },
      { date: "2026-11-22", usage: 0 },
    ]);
  });
});

describe("GET /public/v1/analytics/overview", () => {
  it("counts printers by their view's status, jobs, today's ends, tasks, hubs and alerts", async () => {
    const { status, json } = await get("overview");
    expect(status).toBe(200);
    expect(json.data).toEqual({
      printers: {
        total: 3,
        idle: 1,
        printing: 1,
        paused: 0,
        maintenance: 1,
        offline: 0,
        error: 0,
      },
      jobs: { queued: 1, processing: 0, printing: 1, today_completed: 1, today_failed: 0 },
      tasks: { pending: 2, collection: 1 },
      hubs: { total: 2, online: 1 },
      alerts: { low_stock: 1 },
    });
  });
});

describe("tenancy and scope", () => {
  it("shows another organization none of this one's figures", async () => {
    const { json } = await get("failures", `?${WINDOW}`, other.key);
    expect(json.data.summary.total_failures).toBe(1);
    expect(json.data.by_type).toEqual([{ reason: "theirs", count: 1, percentage: 100 }]);
    const printers = await get("printers", `?${WINDOW}`, other.key);
    expect(printers.json.data.printers).toHaveLength(1);
    expect(JSON.stringify(printers.json)).not.toContain(ids.p1);
  });

  it("answers a key holding analytics:read, refuses one holding every other read scope", async () => {
    const narrow = await createApiKey(services.db, ids.org!, { scopes: ["analytics:read"] });
    expect((await get("overview", "", narrow.key)).status).toBe(200);
    const others = await createApiKey(services.db, ids.org!, {
      scopes: ["printers:read", "jobs:read", "inventory:read"],
    });
    const refusal = await refused("overview", "", others.key);
    expect(refusal.status).toBe(403);
    expect(refusal.json.error).toBe("API key missing required scope: analytics:read");
  });
});
