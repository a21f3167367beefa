import { randomUUID } from "node:crypto";
import { skuParts } from "@apf/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createSku } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import {
  body,
  call,
  type Operation,
  publicTestServices,
  type Reply,
  type TestApp,
  tenant,
} from "./helpers.ts";

/*
 * GET /public/v1/products, /products/{id}, /skus, /skus/{id} over a farm with a kit product of
 * two colours (its parts two other products), a plain product with an image and a price, a
 * product whose SKUs disagree on its name, and an inactive one. The security cases (no key,
 * revoked, wrong scope, another tenant) are in security.test.ts, as for every route.
 */
let services: TestServices;
let app: TestApp;
let key: string;
let other: Awaited<ReturnType<typeof tenant>>;
type Sku = Awaited<ReturnType<typeof createSku>>;
const s: Record<string, Sku> = {};
let theirs: Sku;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db, "Product farm");
  key = t.key;
  const org = t.organization.id;
  const sku = async (name: string, values: Parameters<typeof createSku>[2]) => {
    s[name] = await createSku(services.db, org, values);
    return s[name]!;
  };
  const wheel = randomUUID();
  await sku("wheelBlack", {
    sku: "WHEEL-BLK",
    productId: wheel,
    productName: "Wheel",
    color: "Black",
    material: "PLA",
    readyStock: 9,
    printFileName: "wheel.gcode",
    unitsPerPrint: 8,
  });
  await sku("wheelWhite", {
    sku: "WHEEL-WHT",
    productId: wheel,
    productName: "Wheel",
    color: "White",
    material: "PLA",
    readyStock: 2,
  });
  await sku("axle", {
    sku: "AXLE-GRY",
    productName: "Axle",
    color: "Grey",
    material: "PETG",
    readyStock: 3,
  });
  const cart = randomUUID();
  await sku("kitRed", {
    sku: "KIT-RED",
    productId: cart,
    productName: "Cart kit",
    color: "Red",
    material: "PLA",
    readyStock: 0,
    lowStockThreshold: 1,
  });
  await sku("kitBlue", {
    sku: "KIT-BLUE",
    productId: cart,
    productName: "Cart kit",
    color: "Blue",
    material: "PLA",
    readyStock: 1,
  });
  await services.db.insert(skuParts).values([
    { organizationId: org, kitSkuId: s.kitRed!.id, partSkuId: s.wheelBlack!.id, quantity: 4 },
    { organizationId: org, kitSkuId: s.kitRed!.id, partSkuId: s.axle!.id, quantity: 2 },
    { organizationId: org, kitSkuId: s.kitBlue!.id, partSkuId: s.wheelWhite!.id, quantity: 4 },
    { organizationId: org, kitSkuId: s.kitBlue!.id, partSkuId: s.axle!.id, quantity: 2 },
  ]);
  const hook = randomUUID();
  await sku("hookRed", {
    sku: "HOOK-RED",
    productId: hook,
    productName: "Hook",
    color: "Red",
    material: "PETG",
    readyStock: 3,
    lowStockThreshold: 5,
    imageUrl: "https://cdn.example/hook-red.png",
    unitPrice: "12.50",
  });
  await sku("hookBlue", {
    sku: "HOOK-BLU",
    productId: hook,
    productName: "Hook",
    color: "blue",
    material: "PETG",
    readyStock: 20,
    lowStockThreshold: 5,
    imageUrl: "https://cdn.example/hook-blue.png",
    unitPrice: "13.75",
    isActive: false,
  });
  const vase = randomUUID();
  await sku("vase", {
    sku: "VASE-WHT",
    productId: vase,
    productName: "Vase",
    color: "White",
    material: "PETG",
    readyStock: 0,
    lowStockThreshold: 2,
  });
  await sku("vaseTall", {
    sku: "VASE-TALL",
    productId: vase,
    productName: "Vase (tall)",
    color: "White",
    material: "PETG",
    readyStock: 6,
  });
  await sku("lamp", {
    sku: "LAMP-GRN",
    productName: "Lamp",
    color: "Green",
    material: "PLA",
    readyStock: 1,
    isActive: false,
  });
  other = await tenant(services.db, "Other farm");
  theirs = await createSku(services.db, other.organization.id, {
    sku: "THEIR-HOOK",
    productName: "Hook",
    color: "Red",
    material: "PETG",
    readyStock: 1,
    lowStockThreshold: 5,
  });
});
afterAll(() => services.close());

/** GET a /public/v1 path; `operation` names what it answers, for the body's type. */
async function get<O extends Operation>(
  _operation: O,
  path: string,
  withKey = key,
): Promise<{ status: number; json: Reply<O> }> {
  const res = await call(app, `/public/v1${path}`, { key: withKey });
  return { status: res.status, json: (await body(res)) as Reply<O> };
}

const names = (json: Reply<"listProducts">) => json.data!.map((p) => p.name);
const codes = (items: { sku: string }[] | undefined) => items!.map((x) => x.sku);
const ALL_PRODUCTS = ["Axle", "Cart kit", "Hook", "Lamp", "Vase", "Wheel"];
const ALL_SKUS = [
  "AXLE-GRY",
  "HOOK-BLU",
  "HOOK-RED",
  "KIT-BLUE",
  "KIT-RED",
  "LAMP-GRN",
  "VASE-TALL",
  "VASE-WHT",
  "WHEEL-BLK",
  "WHEEL-WHT",
];

describe("GET /public/v1/products", () => {
  it("answers each product once, by name, with AutoPrintFarm's fields and meta", async () => {
    const { status, json } = await get("listProducts", "/products");
    expect(status).toBe(200);
    expect(names(json)).toEqual(ALL_PRODUCTS);
    expect(json.meta).toEqual({ limit: 50, offset: 0, count: 6 });
    const hook = json.data!.find((p) => p.name === "Hook");
    expect(hook).toEqual({
      id: s.hookRed!.productId,
      name: "Hook",
      description: null,
      category: null,
      requires_assembly: false,
      requires_post_processing: false,
      image_url: "https://cdn.example/hook-blue.png",
      images: [
        { id: s.hookBlue!.id, sort_order: 0, url: "https://cdn.example/hook-blue.png" },
        { id: s.hookRed!.id, sort_order: 1, url: "https://cdn.example/hook-red.png" },
      ],
      is_active: true,
      created_at: s.hookRed!.createdAt.toISOString(),
      updated_at: s.hookBlue!.updatedAt.toISOString(),
      sku_count: 2,
    });
    const kit = json.data!.find((p) => p.name === "Cart kit");
    expect(kit).toMatchObject({ requires_assembly: true, image_url: null, images: [] });
  });

  it("never shows a price", async () => {
    const text = JSON.stringify((await get("listProducts", "/products")).json);
    expect(text).not.toMatch(/12\.5|13\.75|price|cost/);
  });

  it("names a product after its first SKU when its SKUs disagree", async () => {
    const { json } = await get("listProducts", "/products?search=vase");
    expect(json.data).toEqual([expect.objectContaining({ name: "Vase", sku_count: 2 })]);
  });

  it("filters by is_active: a product is active while one of its SKUs is", async () => {
    expect(names((await get("listProducts", "/products?is_active=true")).json)).toEqual(
      ALL_PRODUCTS.filter((n) => n !== "Lamp"),
    );
    expect(names((await get("listProducts", "/products?is_active=false")).json)).toEqual(["Lamp"]);
  });

  it("filters by search, a case-insensitive substring of the name", async () => {
    expect(names((await get("listProducts", "/products?search=HEE")).json)).toEqual(["Wheel"]);
    expect(names((await get("listProducts", "/products?search=kit")).json)).toEqual(["Cart kit"]);
    const none = await get("listProducts", "/products?search=zzz");
    expect(none.json).toMatchObject({ data: [], meta: { count: 0 } });
  });

  it("filters by category, which apf does not record: no product matches", async () => {
    const { status, json } = await get("listProducts", "/products?category=Toys");
    expect(status).toBe(200);
    expect(json).toEqual({ success: true, data: [], meta: { limit: 50, offset: 0, count: 0 } });
  });

  it("pages with limit and offset, counting every match", async () => {
    const { json } = await get("listProducts", "/products?limit=2&offset=1");
    expect(names(json)).toEqual(["Cart kit", "Hook"]);
    expect(json.meta).toEqual({ limit: 2, offset: 1, count: 6 });
    const filtered = await get("listProducts", "/products?is_active=true&limit=1&offset=4");
    expect(names(filtered.json)).toEqual(["Wheel"]);
    expect(filtered.json.meta).toEqual({ limit: 1, offset: 4, count: 5 });
    const beyond = await get("listProducts", "/products?offset=10");
    expect(beyond.json).toMatchObject({ data: [], meta: { count: 6 } });
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["offset=-1", "offset"],
    ["is_active=yes", "is_active"],
    [`search=${"x".repeat(121)}`, "search"],
  ])("answers 400 INVALID_REQUEST for %s naming %s", async (query, parameter) => {
    const { status, json } = await get("listProducts", `/products?${query}`);
    expect(status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${parameter}"`);
  });

  it("lists none of another organization's products", async () => {
    const { json } = await get("listProducts", "/products", other.key);
    expect(json.data!.map((p) => p.id)).toEqual([theirs.productId]);
    expect(JSON.stringify(json)).not.toContain(s.hookRed!.productId);
  });
});

describe("GET /public/v1/products/{id}", () => {
  it("answers a kit product with its SKUs and the parts each kit SKU takes", async () => {
    const { status, json } = await get("getProduct", `/products/${s.kitRed!.productId}`);
    expect(status).toBe(200);
    expect(json.data).toMatchObject({
      id: s.kitRed!.productId,
      name: "Cart kit",
      requires_assembly: true,
      sku_count: 2,
      components: [],
    });
    expect(codes(json.data!.skus)).toEqual(["KIT-BLUE", "KIT-RED"]);
    // The SKUs' status is the stock view's: KIT-RED has none ready, its parts make one.
    expect(json.data!.skus.map((x) => [x.sku, x.status, x.is_composite])).toEqual([
      ["KIT-BLUE", "in_stock", true],
      ["KIT-RED", "needs_assembly", true],
    ]);
    expect(json.data!.kit).toEqual({
      parts: [
        {
          part_id: s.axle!.productId,
          name: "Axle",
          print_file_id: null,
          file_name: null,
          quantity_per_kit: 2,
          fixed_color: "Grey",
          requires_assembly: false,
          components: [],
          variants: [
            {
              kit_sku_id: s.kitBlue!.id,
              kit_color: "Blue",
              child_sku_id: s.axle!.id,
              child_sku: "AXLE-GRY",
              child_color: "Grey",
              child_on_hand: 3,
              quantity_per_kit: 2,
            },
            {
              kit_sku_id: s.kitRed!.id,
              kit_color: "Red",
              child_sku_id: s.axle!.id,
              child_sku: "AXLE-GRY",
              child_color: "Grey",
              child_on_hand: 3,
              quantity_per_kit: 2,
            },
          ],
        },
        {
          part_id: s.wheelBlack!.productId,
          name: "Wheel",
          print_file_id: null,
          // The variants' parts do not share a print file, nor a colour.
          file_name: null,
          quantity_per_kit: 4,
          fixed_color: null,
          requires_assembly: false,
          components: [],
          variants: [
            {
              kit_sku_id: s.kitBlue!.id,
              kit_color: "Blue",
              child_sku_id: s.wheelWhite!.id,
              child_sku: "WHEEL-WHT",
              child_color: "White",
              child_on_hand: 2,
              quantity_per_kit: 4,
            },
            {
              kit_sku_id: s.kitRed!.id,
              kit_color: "Red",
              child_sku_id: s.wheelBlack!.id,
              child_sku: "WHEEL-BLK",
              child_color: "Black",
              child_on_hand: 9,
              quantity_per_kit: 4,
            },
          ],
        },
      ],
      bundle_extras: [],
      bundle_extras_by_variant: {},
    });
  });

  it("answers a plain product with its SKUs, no kit parts and no price", async () => {
    const { status, json } = await get("getProduct", `/products/${s.hookRed!.productId}`);
    expect(status).toBe(200);
    expect(json.data!.skus.map((x) => [x.sku, x.status, x.is_active])).toEqual([
      ["HOOK-BLU", "in_stock", false],
      ["HOOK-RED", "low_stock", true],
    ]);
    expect(json.data!.kit.parts).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/12\.5|13\.75|price/);
  });

  it("reads its SKUs' status as GET /inventory reads it (one stock view)", async () => {
    const inventory = await get("listInventory", "/inventory");
    const byInventory = Object.fromEntries(
      inventory.json.data!.map((i) => [i.product_sku_id, i.status]),
    );
    for (const id of [s.kitRed!.productId, s.hookRed!.productId, s.vase!.productId]) {
      const { json } = await get("getProduct", `/products/${id}`);
      for (const x of json.data!.skus) expect(x.status).toBe(byInventory[x.id]);
    }
  });

  it.each([
    ["an unknown id", () => randomUUID()],
    ["a malformed id", () => "not-a-product"],
    ["a SKU id", () => s.hookRed!.id],
    ["another organization's product", () => theirs.productId],
  ])("answers 404 NOT_FOUND for %s", async (_, id) => {
    const { status, json } = await get("getProduct", `/products/${id()}`);
    expect(status).toBe(404);
    expect(json).toMatchObject({ success: false, code: "NOT_FOUND", error: "Product not found." });
  });
});

describe("GET /public/v1/skus", () => {
  it("answers every SKU by code with AutoPrintFarm's fields and ours, no meta, no price", async () => {
    const { status, json } = await get("listSkus", "/skus");
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(["data", "success"]);
    expect(codes(json.data)).toEqual(ALL_SKUS);
    const wheel = json.data!.find((x) => x.sku === "WHEEL-BLK");
    expect(wheel).toEqual({
      id: s.wheelBlack!.id,
      product_id: s.wheelBlack!.productId,
      sku: "WHEEL-BLK",
      color: "Black",
      filament_type: "PLA",
      hex_code: null,
      quantity: 8,
      stock_level: 9,
      low_stock_threshold: null,
      is_active: true,
      is_composite: false,
      created_at: s.wheelBlack!.createdAt.toISOString(),
      updated_at: s.wheelBlack!.updatedAt.toISOString(),
      finished_goods_stock: 9,
      product_name: "Wheel",
      status: "in_stock",
      inventory_id: s.wheelBlack!.inventoryId,
      image_url: null,
    });
    expect(JSON.stringify(json)).not.toMatch(/12\.5|13\.75|price|cost/);
  });

  it.each([
    ["product_id", () => s.wheelBlack!.productId, ["WHEEL-BLK", "WHEEL-WHT"]],
    ["product_id", () => randomUUID(), []],
    ["product_id", () => "not-a-uuid", []],
    ["color", () => "RED", ["HOOK-RED", "KIT-RED"]],
    ["color", () => "Blue", ["HOOK-BLU", "KIT-BLUE"]],
    ["filament_type", () => "PETG", ["AXLE-GRY", "HOOK-BLU", "HOOK-RED", "VASE-TALL", "VASE-WHT"]],
    ["filament_type", () => "petg", []],
    ["low_stock", () => "true", ["HOOK-RED", "KIT-RED", "VASE-WHT"]],
    [
      "low_stock",
      () => "false",
      ["AXLE-GRY", "HOOK-BLU", "KIT-BLUE", "LAMP-GRN", "VASE-TALL", "WHEEL-BLK", "WHEEL-WHT"],
    ],
    ["is_active", () => "false", ["HOOK-BLU", "LAMP-GRN"]],
    ["is_active", () => "true", ALL_SKUS.filter((c) => c !== "HOOK-BLU" && c !== "LAMP-GRN")],
  ])("filters by %s", async (name, value, expected) => {
    const { status, json } = await get("listSkus", `/skus?${name}=${encodeURIComponent(value())}`);
    expect(status).toBe(200);
    expect(codes(json.data)).toEqual(expected);
  });

  it("combines filters", async () => {
    const { json } = await get(
      "listSkus",
      "/skus?filament_type=PETG&low_stock=true&is_active=true",
    );
    expect(codes(json.data)).toEqual(["HOOK-RED", "VASE-WHT"]);
  });

  it("pages when asked, with meta counting every match", async () => {
    const { json } = await get("listSkus", "/skus?limit=3&offset=2");
    expect(codes(json.data)).toEqual(ALL_SKUS.slice(2, 5));
    expect(json.meta).toEqual({ limit: 3, offset: 2, count: 10 });
    const offsetOnly = await get("listSkus", "/skus?offset=8");
    expect(codes(offsetOnly.json.data)).toEqual(ALL_SKUS.slice(8));
    expect(offsetOnly.json.meta).toEqual({ limit: 500, offset: 8, count: 10 });
    const filtered = await get("listSkus", "/skus?is_active=false&limit=1");
    expect(filtered.json).toMatchObject({ meta: { limit: 1, offset: 0, count: 2 } });
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["low_stock=maybe", "low_stock"],
    ["is_active=1", "is_active"],
  ])("answers 400 INVALID_REQUEST for %s naming %s", async (query, parameter) => {
    const { status, json } = await get("listSkus", `/skus?${query}`);
    expect(status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${parameter}"`);
  });

  it("lists none of another organization's SKUs, whatever the filter", async () => {
    const { json } = await get("listSkus", "/skus?color=red", other.key);
    expect(json.data!.map((x) => x.id)).toEqual([theirs.id]);
    const mine = await get("listSkus", `/skus?product_id=${theirs.productId}`);
    expect(mine.json.data).toEqual([]);
  });
});

describe("GET /public/v1/skus/{id}", () => {
  it("answers a kit SKU with how many kits its parts make and the stock of each part", async () => {
    const { status, json } = await get("getSku", `/skus/${s.kitRed!.id}`);
    expect(status).toBe(200);
    expect(json.data).toMatchObject({
      id: s.kitRed!.id,
      sku: "KIT-RED",
      is_composite: true,
      stock_level: 0,
      status: "needs_assembly",
      // Wheels 9 / 4 = 2, axles 3 / 2 = 1: one kit.
      available_to_build: 1,
      effective_status: "low_stock",
    });
    expect(json.data!.parts_on_hand.map((p) => [p.sku, p.quantity_per_kit, p.on_hand])).toEqual([
      ["AXLE-GRY", 2, 3],
      ["WHEEL-BLK", 4, 9],
    ]);
  });

  it("answers a plain SKU with no kit figures", async () => {
    const { json } = await get("getSku", `/skus/${s.hookRed!.id}`);
    expect(json.data).toMatchObject({
      sku: "HOOK-RED",
      is_composite: false,
      available_to_build: 0,
      effective_status: "low_stock",
      status: "low_stock",
      parts_on_hand: [],
    });
    expect(JSON.stringify(json)).not.toMatch(/12\.5|price/);
  });

  it.each([
    ["an unknown id", () => randomUUID()],
    ["a malformed id", () => "HOOK-RED"],
    ["an inventory item's id", () => s.hookRed!.inventoryId],
    ["a product id", () => s.vase!.productId],
    ["another organization's SKU", () => theirs.id],
  ])("answers 404 NOT_FOUND for %s", async (_, id) => {
    const { status, json } = await get("getSku", `/skus/${id()}`);
    expect(status).toBe(404);
    expect(json).toMatchObject({ success: false, code: "NOT_FOUND", error: "SKU not found." });
  });
});
