import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createSku } from "../support/public-factories.ts";
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
  const org = t.organization.id;
  const list = async (query = "") => {
    const res = await call(app, `/public/v1/inventory${query}`, { key: t.key });
    return { res, json: await answer(res, "listInventory") };
  };
  const refused = async (query: string) => {
    const res = await call(app, `/public/v1/inventory${query}`, { key: t.key });
    return { res, json: await failure(res) };
  };
  const skus = async (query = "") => (await list(query)).json.data.map((i) => i.sku);
  return { ...t, org, list, refused, skus };
}

/** One SKU per stock situation, named after it. */
async function stockSituations(org: string) {
  const make = (
    sku: string,
    readyStock: number,
    lowStockThreshold: number | null,
    material = "PLA",
  ) => createSku(services.db, org, { sku, readyStock, lowStockThreshold, material });
  await make("A-empty-no-threshold", 0, null);
  await make("B-empty-threshold", 0, 5);
  await make("C-low", 3, 5);
  await make("D-at-threshold", 5, 5, "PETG");
  await make("E-above-threshold", 6, 5, "PETG");
  await make("F-no-threshold", 2, null, "pla");
}

describe("GET /public/v1/inventory", () => {
  it("answers AutoPrintFarm's item fields and never a price", async () => {
    const f = await farm();
    const sku = await createSku(services.db, f.org, {
      sku: "CLIP-BLK",
      color: "Black",
      material: "PLA",
      readyStock: 40,
      lowStockThreshold: 10,
      imageUrl: "https://cdn.example/clip.png",
      unitPrice: "987.65",
    });
    const { res, json } = await f.list();
    expect(res.status).toBe(200);
    expect(json.meta).toBeUndefined();
    expect(keysOf(json.data[0]!)).toEqual(
      keysOf(fixtureItem(autoPrintFarmFixture("inventory.list"))),
    );
    expect(sku.inventoryId).not.toBe(sku.id);
    expect(json.data[0]).toEqual({
      id: sku.inventoryId,
      product_sku_id: sku.id,
      sku: "CLIP-BLK",
      color: "Black",
      material: "PLA",
      ready_stock: 40,
      low_stock_threshold: 10,
      status: "in_stock",
      image_url: "https://cdn.example/clip.png",
      is_active: true,
      created_at: sku.createdAt.toISOString(),
      updated_at: sku.updatedAt.toISOString(),
    });
    // Neither a price field nor the price's value, anywhere (ids are random hex: they may hold "987").
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/price|cost|987\.65/);
  });

  it("derives status: out_of_stock at 0, low_stock at or below a set threshold, else in_stock", async () => {
    const f = await farm();
    await stockSituations(f.org);
    const { json } = await f.list();
    expect(Object.fromEntries(json.data.map((i) => [i.sku, i.status]))).toEqual({
      "A-empty-no-threshold": "out_of_stock",
      "B-empty-threshold": "out_of_stock",
      "C-low": "low_stock",
      "D-at-threshold": "low_stock",
      "E-above-threshold": "in_stock",
      "F-no-threshold": "in_stock",
    });
  });

  it("filters low_stock without ever counting items that have no threshold", async () => {
    const f = await farm();
    await stockSituations(f.org);
    expect(await f.skus("?low_stock=true")).toEqual([
      "B-empty-threshold",
      "C-low",
      "D-at-threshold",
    ]);
    expect(await f.skus("?low_stock=false")).toEqual([
      "A-empty-no-threshold",
      "E-above-threshold",
      "F-no-threshold",
    ]);
  });

  it("filters by status, sku and material (exact, case-sensitive)", async () => {
    const f = await farm();
    await stockSituations(f.org);
    expect(await f.skus("?status=out_of_stock")).toEqual([
      "A-empty-no-threshold",
      "B-empty-threshold",
    ]);
    expect(await f.skus("?status=low_stock")).toEqual(["C-low", "D-at-threshold"]);
    expect(await f.skus("?status=in_stock")).toEqual(["E-above-threshold", "F-no-threshold"]);
    expect(await f.skus("?sku=C-low")).toEqual(["C-low"]);
    expect(await f.skus("?sku=c-low")).toEqual([]);
    expect(await f.skus("?material=pla")).toEqual(["F-no-threshold"]);
    expect(await f.skus("?material=PETG&status=in_stock")).toEqual(["E-above-threshold"]);
  });

  it("pages on request, with meta", async () => {
    const f = await farm();
    await stockSituations(f.org);
    const page = await f.list("?limit=2&offset=2");
    expect(page.json.data.map((i: { sku: string }) => i.sku)).toEqual(["C-low", "D-at-threshold"]);
    expect(page.json.meta).toEqual({ limit: 2, offset: 2, count: 6 });
    expect((await f.list("?low_stock=true&limit=1")).json.meta?.count).toBe(3);
  });

  it.each([
    ["low_stock=yes", "low_stock"],
    ["status=sold_out", "status"],
    ["limit=501", "limit"],
    ["limit=0", "limit"],
    ["offset=-1", "offset"],
    [`sku=${"s".repeat(201)}`, "sku"],
  ])("answers INVALID_REQUEST naming the parameter for ?%s", async (query, name) => {
    const f = await farm();
    const { res, json } = await f.refused(`?${query}`);
    expect(res.status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${name}"`);
  });
});

describe("GET /public/v1/inventory/{id}", () => {
  it("adds product_id, product_name and the kit fields of AutoPrintFarm's item", async () => {
    const f = await farm();
    const sku = await createSku(services.db, f.org, {
      productName: "Cable clip",
      readyStock: 0,
      unitPrice: "3.50",
    });
    const res = await call(app, `/public/v1/inventory/${sku.inventoryId}`, { key: f.key });
    expect(res.status).toBe(200);
    const json = await answer(res, "getInventoryItem");
    expect(json.data).toMatchObject({
      id: sku.inventoryId,
      product_sku_id: sku.id,
      product_id: sku.productId,
      product_name: "Cable clip",
      status: "out_of_stock",
      is_composite: false,
      available_to_build: 0,
      effective_status: "out_of_stock",
      parts_on_hand: [],
    });
    expect(keysOf(json.data)).toEqual(keysOf(fixtureItem(autoPrintFarmFixture("inventory.get"))));
    expect(JSON.stringify(json)).not.toMatch(/price|3\.5/);
  });

  it("answers NOT_FOUND for a product SKU id: the item's id is its own", async () => {
    const f = await farm();
    const sku = await createSku(services.db, f.org);
    const res = await call(app, `/public/v1/inventory/${sku.id}`, { key: f.key });
    expect(res.status).toBe(404);
  });

  it.each(["6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8", "CLIP-BLK"])(
    "answers NOT_FOUND for %s",
    async (id) => {
      const f = await farm();
      const res = await call(app, `/public/v1/inventory/${id}`, { key: f.key });
      expect(res.status).toBe(404);
      expect((await failure(res)).code).toBe("NOT_FOUND");
    },
  );
});
