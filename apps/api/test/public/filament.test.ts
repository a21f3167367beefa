import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createPrinter, createSpool } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import { autoPrintFarmFixture, fixtureItem, keysOf } from "./fixtures.ts";
import { answer, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

let services: TestServices;
let app: TestApp;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

async function farm() {
  const t = await tenant(services.db);
  return { ...t, org: t.organization.id };
}

describe("GET /public/v1/materials/filament", () => {
  it("answers AutoPrintFarm's spool fields plus printer_id, diameter as a string", async () => {
    const f = await farm();
    const printer = await createPrinter(services.db, f.org);
    const spool = await createSpool(services.db, f.org, {
      type: "PETG",
      color: "Orange",
      hexCode: "#ff8800",
      brand: "Prusament",
      diameter: "1.75",
      remainingGrams: 612.5,
      spoolWeightGrams: 1000,
      lowThreshold: 100,
      status: "in_use",
      location: "Dry box 2",
      printerId: printer.id,
    });
    const res = await call(app, "/public/v1/materials/filament", { key: f.key });
    expect(res.status).toBe(200);
    const json = await answer(res, "listFilamentSpools");
    expect(json.meta).toBeUndefined();
    const fixture = fixtureItem(autoPrintFarmFixture("materials.filament.get"));
    expect(keysOf(json.data[0]!)).toEqual([...keysOf(fixture), "printer_id"].sort());
    expect(json.data[0]).toEqual({
      id: spool.id,
      type: "PETG",
      color: "Orange",
      hex_code: "#ff8800",
      brand: "Prusament",
      diameter: "1.75",
      remaining_grams: 612.5,
      spool_weight_grams: 1000,
      low_threshold: 100,
      status: "in_use",
      location: "Dry box 2",
      printer_id: printer.id,
      created_at: spool.createdAt.toISOString(),
      updated_at: spool.updatedAt.toISOString(),
    });
  });

  it("pages on request, with meta", async () => {
    const f = await farm();
    for (let i = 0; i < 3; i++) await createSpool(services.db, f.org);
    const res = await call(app, "/public/v1/materials/filament?limit=2", { key: f.key });
    const json = await answer(res, "listFilamentSpools");
    expect(json.data).toHaveLength(2);
    expect(json.meta).toEqual({ limit: 2, offset: 0, count: 3 });
    const bad = await call(app, "/public/v1/materials/filament?limit=0", { key: f.key });
    expect(bad.status).toBe(400);
    expect((await failure(bad)).error).toContain('"limit"');
  });
});

describe("GET /public/v1/materials/filament/{id}", () => {
  it("answers the spool in AutoPrintFarm's envelope", async () => {
    const f = await farm();
    const spool = await createSpool(services.db, f.org, { diameter: "2.85" });
    const res = await call(app, `/public/v1/materials/filament/${spool.id}`, { key: f.key });
    expect(res.status).toBe(200);
    const json = await answer(res, "getFilamentSpool");
    expect(keysOf(json)).toEqual(keysOf(autoPrintFarmFixture("materials.filament.get")));
    expect(json.data).toMatchObject({ id: spool.id, diameter: "2.85", printer_id: null });
  });

  it.each(["6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8", "spool-1"])(
    "answers NOT_FOUND for %s",
    async (id) => {
      const f = await farm();
      const res = await call(app, `/public/v1/materials/filament/${id}`, { key: f.key });
      expect(res.status).toBe(404);
      expect((await failure(res)).code).toBe("NOT_FOUND");
    },
  );
});
