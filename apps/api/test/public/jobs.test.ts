import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createJob, createPrinter, createSku } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import { autoPrintFarmFixture, fixtureItem, keysOf, withQueueFields } from "./fixtures.ts";
import { answer, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

let services: TestServices;
let app: TestApp;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute));

async function farm() {
  const t = await tenant(services.db);
  const org = t.organization.id;
  const list = async (query = "") => {
    const res = await call(app, `/public/v1/jobs${query}`, { key: t.key });
    return { res, json: await answer(res, "listJobs") };
  };
  const refused = async (query: string) => {
    const res = await call(app, `/public/v1/jobs${query}`, { key: t.key });
    return { res, json: await failure(res) };
  };
  return { ...t, org, list, refused };
}

describe("GET /public/v1/jobs", () => {
  it("answers AutoPrintFarm's envelope and fields, with the product from the job's SKU", async () => {
    const f = await farm();
    const printer = await createPrinter(services.db, f.org);
    const sku = await createSku(services.db, f.org, { productName: "Cable clip", sku: "CLIP-BLK" });
    const job = await createJob(services.db, f.org, {
      printerId: printer.id,
      productSkuId: sku.id,
      status: "completed",
      fileName: "clip.gcode",
      numberOfUnits: 12,
      color: "Black",
      filamentType: "PLA",
      materialType: "PLA",
      progressPercentage: 100,
      estimatedPrintTimeMinutes: 95,
      actualPrintTimeMinutes: 101,
      timeSubmitted: at(1),
      timeStarted: at(2),
      timeCompleted: at(43),
    });
    const { res, json } = await f.list();
    expect(res.status).toBe(200);
    const fixture = autoPrintFarmFixture("jobs.list");
    expect(keysOf(json)).toEqual(keysOf(fixture));
    expect(keysOf(json.data[0]!)).toEqual(withQueueFields(keysOf(fixtureItem(fixture))));
    expect(json.meta).toEqual({ limit: 50, offset: 0, count: 1 });
    expect(json.data[0]).toEqual({
      id: job.id,
      status: "completed",
      printer_id: printer.id,
      product_id: sku.productId,
      product_sku_id: sku.id,
      product_name: "Cable clip",
      file_name: "clip.gcode",
      number_of_units: 12,
      color: "Black",
      filament_type: "PLA",
      material_type: "PLA",
      progress_percentage: 100,
      estimated_print_time_minutes: 95,
      actual_print_time_minutes: 101,
      failure_reason: null,
      time_submitted: at(1).toISOString(),
      time_started: at(2).toISOString(),
      time_completed: at(43).toISOString(),
      print_file_id: null,
      priority: 50,
      attempts: 0,
      last_error: null,
      waiting_reason: null,
      position: null,
      created_at: job.createdAt.toISOString(),
      updated_at: job.updatedAt.toISOString(),
    });
    expect(JSON.stringify(json)).not.toContain("stock_counted_at");
  });

  it("has null product fields for a job without a SKU", async () => {
    const f = await farm();
    await createJob(services.db, f.org);
    const { json } = await f.list();
    expect(json.data[0]).toMatchObject({
      product_id: null,
      product_sku_id: null,
      product_name: null,
    });
  });

  it("lists newest first and pages with limit and offset", async () => {
    const f = await farm();
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      ids.push((await createJob(services.db, f.org, { createdAt: at(minute) })).id);
    }
    const newestFirst = [...ids].reverse();
    expect((await f.list()).json.data.map((j) => j.id)).toEqual(newestFirst);
    const page = await f.list("?limit=2&offset=2");
    expect(page.json.data.map((j) => j.id)).toEqual(newestFirst.slice(2, 4));
    expect(page.json.meta).toEqual({ limit: 2, offset: 2, count: 5 });
    expect((await f.list("?limit=100")).json.meta?.limit).toBe(100);
  });

  it("returns at most 50 by default", async () => {
    const f = await farm();
    for (let i = 0; i < 51; i++) await createJob(services.db, f.org);
    const { json } = await f.list();
    expect(json.data).toHaveLength(50);
    expect(json.meta).toEqual({ limit: 50, offset: 0, count: 51 });
  });

  it("filters by status and printer_id", async () => {
    const f = await farm();
    const p1 = await createPrinter(services.db, f.org);
    const p2 = await createPrinter(services.db, f.org);
    const printing = await createJob(services.db, f.org, { printerId: p1.id, status: "printing" });
    const failed = await createJob(services.db, f.org, { printerId: p1.id, status: "failed" });
    const queued = await createJob(services.db, f.org, { printerId: p2.id, status: "queued" });
    const ids = async (q: string) => (await f.list(q)).json.data.map((j) => j.id);
    expect(await ids("?status=failed")).toEqual([failed.id]);
    expect((await ids(`?printer_id=${p1.id}`)).sort()).toEqual([printing.id, failed.id].sort());
    expect(await ids(`?printer_id=${p1.id}&status=printing`)).toEqual([printing.id]);
    expect(await ids(`?printer_id=${p2.id}`)).toEqual([queued.id]);
    const unknown = await f.list("?printer_id=6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8");
    expect(unknown.json).toMatchObject({ data: [], meta: { count: 0 } });
    const malformed = await f.list("?printer_id=printer-1");
    expect(malformed.res.status).toBe(200);
    expect(malformed.json).toMatchObject({ data: [], meta: { count: 0 } });
  });

  it("does not match another organization's printer_id", async () => {
    const f = await farm();
    const other = await farm();
    const theirs = await createPrinter(services.db, other.org);
    await createJob(services.db, other.org, { printerId: theirs.id });
    expect((await f.list(`?printer_id=${theirs.id}`)).json.data).toEqual([]);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["offset=-1", "offset"],
    ["offset=x", "offset"],
    ["status=running", "status"],
  ])("answers INVALID_REQUEST naming the parameter for ?%s", async (query, name) => {
    const f = await farm();
    const { res, json } = await f.refused(`?${query}`);
    expect(res.status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${name}"`);
  });

  it("says the bounds of limit", async () => {
    const f = await farm();
    expect((await f.refused("?limit=101")).json.error).toBe(
      'Invalid query parameter "limit": must be a whole number from 1 to 100',
    );
  });
});

describe("GET /public/v1/jobs/{id}", () => {
  it("answers the job", async () => {
    const f = await farm();
    const job = await createJob(services.db, f.org, {
      status: "failed",
      failureReason: "spaghetti",
    });
    const res = await call(app, `/public/v1/jobs/${job.id}`, { key: f.key });
    expect(res.status).toBe(200);
    const json = await answer(res, "getJob");
    expect(json.data).toMatchObject({ id: job.id, status: "failed", failure_reason: "spaghetti" });
    expect(keysOf(json.data)).toEqual(
      withQueueFields(keysOf(fixtureItem(autoPrintFarmFixture("jobs.list")))),
    );
  });

  it.each(["6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8", "42", "%20"])(
    "answers NOT_FOUND for %s",
    async (id) => {
      const f = await farm();
      const res = await call(app, `/public/v1/jobs/${id}`, { key: f.key });
      expect(res.status).toBe(404);
      expect((await failure(res)).code).toBe("NOT_FOUND");
    },
  );
});
