import { listAuditEvents } from "@apf/db/queries/audit-events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../apps/api/src/app.ts";
import {
  autoPrintFarmFixture as fixture,
  fixtureItem,
} from "../../apps/api/test/public/fixtures.ts";
import {
  answer,
  body,
  call,
  failure,
  type Operation,
  publicTestServices,
  type TestApp,
  tenant,
} from "../../apps/api/test/public/helpers.ts";
import { createApiKey } from "../../apps/api/test/support/factories.ts";
import type { TestServices } from "../../apps/api/test/support/services.ts";
import { type SeededFarm, seedFarm } from "./seed.ts";
import { expectDocumentedShape, expectEnvelope } from "./shape.ts";

/**
 * AutoPrintFarm's documented requests, replayed against a seeded farm: status, envelope, the
 * documented field names and types, filters and paging. A script written for AutoPrintFarm
 * must get the same answers here.
 */
let services: TestServices;
let app: TestApp;
let farm: SeededFarm;
let key: string;
let orgId: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db, "Compat farm");
  orgId = t.organization.id;
  key = (await createApiKey(services.db, orgId, { scopes: ["read", "write"] })).key;
  farm = await seedFarm(services.db, orgId, services.clock.now());
});
afterAll(() => services.close());

/** A read of `operation`, its body typed as the generated client types say. */
async function get<O extends Operation>(path: string, operation: O) {
  const res = await call(app, `/public/v1${path}`, { key });
  return { status: res.status, json: await answer(res, operation) };
}

/** A read that is refused. */
async function refused(path: string) {
  const res = await call(app, `/public/v1${path}`, { key });
  return { status: res.status, json: await failure(res) };
}

/** A write of `operation`. */
async function send<O extends Operation>(
  operation: O,
  method: "POST" | "PUT",
  path: string,
  json: unknown,
) {
  const res = await call(app, `/public/v1${path}`, { key, method, json });
  return { status: res.status, json: await answer(res, operation) };
}

async function auditEvents() {
  return (await listAuditEvents(services.db, orgId, { limit: 50, offset: 0 })).rows;
}

const ids = (json: { data: { id: string }[] }) => json.data.map((item) => item.id).sort();

describe("printers", () => {
  it("GET /printers answers every printer with AutoPrintFarm's fields, no meta", async () => {
    const { status, json } = await get("/printers", "listPrinters");
    expect(status).toBe(200);
    expectEnvelope(json, "list");
    expect(json.data).toHaveLength(Object.keys(farm.printers).length);
    expectDocumentedShape(json.data, fixture("printers.list").data);
  });

  it("GET /printers?limit=2&offset=1 pages with meta", async () => {
    const { json } = await get("/printers?limit=2&offset=1", "listPrinters");
    expectEnvelope(json, "paged");
    expect(json.meta).toEqual({ limit: 2, offset: 1, count: 5 });
    expect(json.data.map((p) => p.name)).toEqual(["Bravo MK4", "Charlie Mini"]);
  });

  it("GET /printers/{id} adds AutoPrintFarm's detail fields", async () => {
    const { status, json } = await get(`/printers/${farm.printers.idle.id}`, "getPrinter");
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixtureItem(fixture("printers.list")));
    expect(json.data).toMatchObject({
      id: farm.printers.idle.id,
      status: "idle",
      firmware_version: null,
      total_print_time: 1800,
      filament_level: 75,
      last_maintenance_date: null,
      in_maintenance: false,
      maintenance_type: null,
    });
  });

  it("GET /printers/{id} reads a printer in maintenance as status maintenance", async () => {
    const { json } = await get(`/printers/${farm.printers.maintenance.id}`, "getPrinter");
    expect(json.data).toMatchObject({
      status: "maintenance",
      in_maintenance: true,
      maintenance_type: "nozzle change",
      last_maintenance_date: farm.printers.maintenance.lastMaintenanceDate!.toISOString(),
      filament_level: null,
    });
  });

  it("GET /printers/{id}/status answers the live status, unknown values null", async () => {
    const { status, json } = await get(
      `/printers/${farm.printers.printing.id}/status`,
      "getPrinterStatus",
    );
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expect(json.data).toEqual({
      printer_id: farm.printers.printing.id,
      hub_online: true,
      status: "printing",
      // The printer's progress as GET /printers shows it (one view; no job row is linked here).
      progress: 42.5,
      nozzle_temp: 214.8,
      bed_temp: 60.1,
      chamber_temp: null,
      target_nozzle_temp: 215,
      target_bed_temp: 60,
      layer_num: null,
      total_layers: null,
      remaining_time_minutes: null,
      current_job_id: null,
      current_color: null,
      current_color_hex: null,
      current_filament_type: null,
      last_telemetry_at: farm.printers.printing.observedAt!.toISOString(),
      available_actions: ["pause", "stop"],
    });
    const stale = await get(`/printers/${farm.printers.stale.id}/status`, "getPrinterStatus");
    expect(stale.json.data).toMatchObject({ hub_online: false, status: "offline" });
  });

  it("PUT /printers/{id}/maintenance enters and leaves maintenance, audited with the key", async () => {
    const id = farm.printers.inactive.id;
    const into = await send("setPrinterMaintenance", "PUT", `/printers/${id}/maintenance`, {
      in_maintenance: true,
      maintenance_type: "belt tension",
    });
    expect(into.status).toBe(200);
    expectEnvelope(into.json, "item");
    expect(into.json.data).toMatchObject({
      id,
      status: "maintenance",
      in_maintenance: true,
      maintenance_type: "belt tension",
      last_maintenance_date: services.clock.now().toISOString(),
    });
    const listed = await get("/printers?status=maintenance", "listPrinters");
    expect(ids(listed.json)).toContain(id);
    const out = await send("setPrinterMaintenance", "PUT", `/printers/${id}/maintenance`, {
      in_maintenance: false,
    });
    expect(out.json.data).toMatchObject({
      in_maintenance: false,
      maintenance_type: null,
      last_maintenance_date: services.clock.now().toISOString(),
    });
    expect(out.json.data.status).not.toBe("maintenance");
    const events = await auditEvents();
    const changes = events.filter((e) => e.action === "printer.maintenance_changed");
    expect(changes).toHaveLength(2);
    for (const e of changes) expect(e).toMatchObject({ actorType: "api_key", targetId: id });
  });
});

describe("jobs", () => {
  it("GET /jobs answers newest first with meta, AutoPrintFarm's fields", async () => {
    const { status, json } = await get("/jobs", "listJobs");
    expect(status).toBe(200);
    expectEnvelope(json, "paged");
    expect(json.meta).toEqual({ limit: 50, offset: 0, count: 6 });
    expectDocumentedShape(json.data, fixture("jobs.list").data);
    expect(json.data[0]?.id).toBe(farm.jobs.printing.id);
  });

  it("GET /jobs?status=processing answers the dispatched job", async () => {
    const { status, json } = await get("/jobs?status=processing", "listJobs");
    expect(status).toBe(200);
    expect(ids(json)).toEqual([farm.jobs.processing.id]);
  });

  it("GET /jobs/{id}", async () => {
    const { status, json } = await get(`/jobs/${farm.jobs.completed.id}`, "getJob");
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixtureItem(fixture("jobs.list")));
    expect(json.data).toMatchObject({ status: "completed", actual_print_time_minutes: 30 });
  });
});

describe("inventory", () => {
  it("GET /inventory answers every item with AutoPrintFarm's fields, its own ids", async () => {
    const { status, json } = await get("/inventory", "listInventory");
    expect(status).toBe(200);
    expectEnvelope(json, "list");
    expectDocumentedShape(json.data, fixture("inventory.list").data);
    for (const item of json.data) expect(item.id).not.toBe(item.product_sku_id);
  });

  it("GET /inventory?limit=2&offset=0 pages with meta", async () => {
    const { json } = await get("/inventory?limit=2&offset=0", "listInventory");
    expectEnvelope(json, "paged");
    expect(json.meta).toEqual({ limit: 2, offset: 0, count: 5 });
    expect(json.data.map((i) => i.sku)).toEqual(["CLIP-BLK", "HOOK-RED"]);
  });

  it("GET /inventory?status=needs_assembly answers the kit whose parts make one", async () => {
    const { status, json } = await get("/inventory?status=needs_assembly", "listInventory");
    expect(status).toBe(200);
    expect(json.data.map((i) => i.sku)).toEqual(["KIT-CART"]);
  });

  it("GET /inventory/{id} of a kit carries is_composite, available_to_build, effective_status, parts_on_hand", async () => {
    const { status, json } = await get(
      `/inventory/${farm.skus.kit.inventoryId}`,
      "getInventoryItem",
    );
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixture("inventory.get").data);
    expect(json.data).toMatchObject({
      id: farm.skus.kit.inventoryId,
      product_sku_id: farm.skus.kit.id,
      product_name: "Cart kit",
      status: "needs_assembly",
      is_composite: true,
      available_to_build: 2,
      effective_status: "in_stock",
    });
    expect(json.data.parts_on_hand).toEqual([
      {
        product_sku_id: farm.skus.wheel.id,
        sku: "PART-WHEEL",
        quantity_per_kit: 4,
        ready_stock: 9,
        part_sku_id: farm.skus.wheel.id,
        part_name: "Wheel",
        color: "Black",
        on_hand: 9,
        enough_for_one_kit: true,
      },
    ]);
  });

  it("GET /inventory/alerts answers the low items with product_name, never read as an id", async () => {
    const { status, json } = await get("/inventory/alerts", "listInventoryAlerts");
    expect(status).toBe(200);
    expectEnvelope(json, "list");
    expectDocumentedShape(json.data, fixture("inventory.list").data);
    expect(json.data.map((i) => [i.sku, i.product_name])).toEqual([
      ["HOOK-RED", "Hook"],
      ["VASE-WHT", "Vase"],
    ]);
  });

  it("GET /inventory/by-sku/{skuId} answers the item of a product SKU, 404 for none", async () => {
    const { status, json } = await get(
      `/inventory/by-sku/${farm.skus.low.id}`,
      "getInventoryItemBySku",
    );
    expect(status).toBe(200);
    expectDocumentedShape(json.data, fixture("inventory.get").data);
    expect(json.data).toMatchObject({ id: farm.skus.low.inventoryId, sku: "HOOK-RED" });
    const missing = await refused(`/inventory/by-sku/${farm.skus.low.inventoryId}`);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe("NOT_FOUND");
  });

  it("PUT /inventory/{id}/threshold sets and clears the threshold, audited with the key", async () => {
    const id = farm.skus.inStock.inventoryId;
    const set = await send("setInventoryThreshold", "PUT", `/inventory/${id}/threshold`, {
      low_stock_threshold: 50,
    });
    expect(set.status).toBe(200);
    expectEnvelope(set.json, "item");
    expect(set.json.data).toMatchObject({ id, low_stock_threshold: 50, status: "low_stock" });
    const alerts = await get("/inventory/alerts", "listInventoryAlerts");
    expect(alerts.json.data.map((i) => i.sku)).toContain("CLIP-BLK");
    const cleared = await send("setInventoryThreshold", "PUT", `/inventory/${id}/threshold`, {
      low_stock_threshold: 10,
    });
    expect(cleared.json.data).toMatchObject({ low_stock_threshold: 10, status: "in_stock" });
    const events = await auditEvents();
    const change = events.find((e) => e.action === "inventory.threshold_changed");
    expect(change).toMatchObject({ actorType: "api_key", targetId: farm.skus.inStock.id });
    expect(change!.details).toMatchObject({ from: 50, to: 10 });
  });
});

describe("materials", () => {
  it("GET /materials/filament answers every spool with AutoPrintFarm's fields", async () => {
    const { status, json } = await get("/materials/filament", "listFilamentSpools");
    expect(status).toBe(200);
    expectEnvelope(json, "list");
    expectDocumentedShape(json.data, [fixture("materials.filament.get").data]);
  });

  it("GET /materials/filament?low_stock=true answers only the low spools", async () => {
    const { json } = await get("/materials/filament?low_stock=true", "listFilamentSpools");
    expect(ids(json)).toEqual([farm.spools.petgBlackLow.id]);
  });

  it("GET /materials/filament?material_type=PETG&color=black combines the filters", async () => {
    const { json } = await get(
      "/materials/filament?material_type=PETG&color=black",
      "listFilamentSpools",
    );
    expect(ids(json)).toEqual([farm.spools.petgBlackLow.id]);
  });

  it("GET /materials/filament?limit=1&offset=1 pages with meta", async () => {
    const { json } = await get("/materials/filament?limit=1&offset=1", "listFilamentSpools");
    expectEnvelope(json, "paged");
    expect(json.meta).toMatchObject({ limit: 1, offset: 1 });
    expect(json.data).toHaveLength(1);
  });

  it("GET /materials/filament/{id}", async () => {
    const { status, json } = await get(
      `/materials/filament/${farm.spools.plaBlack.id}`,
      "getFilamentSpool",
    );
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixture("materials.filament.get").data);
  });

  it("POST /materials/filament answers 201 with the spool, audited with the key", async () => {
    const { status, json } = await send("createFilamentSpool", "POST", "/materials/filament", {
      type: "ASA",
      color: "Orange",
      hex_code: "#ff8800",
      brand: "Polymaker",
      diameter: "1.75",
      remaining_grams: 1000,
      spool_weight_grams: 1000,
      low_threshold: 150,
      location: "Rack 2",
    });
    expect(status).toBe(201);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixture("materials.filament.get").data);
    expect(json.data).toMatchObject({ type: "ASA", color: "Orange", diameter: "1.75" });
    const read = await get(`/materials/filament/${json.data.id}`, "getFilamentSpool");
    expect(read.json.data).toEqual(json.data);
    const events = await auditEvents();
    expect(events.find((e) => e.action === "filament.created")).toMatchObject({
      actorType: "api_key",
      targetId: json.data.id,
    });
  });
});

describe("products and SKUs", () => {
  it("GET /products answers each product once with AutoPrintFarm's fields, paged with meta", async () => {
    const { status, json } = await get("/products", "listProducts");
    expect(status).toBe(200);
    expectEnvelope(json, "paged");
    expectDocumentedShape(json.data, fixture("products.list").data);
    expect(json.data.map((p) => p.name)).toEqual([
      "Cable clip",
      "Cart kit",
      "Hook",
      "Vase",
      "Wheel",
    ]);
    expect(json.meta).toEqual({ limit: 50, offset: 0, count: 5 });
  });

  it("GET /products?search=c&limit=1&offset=1 filters and pages", async () => {
    const { json } = await get("/products?search=c&limit=1&offset=1", "listProducts");
    expectEnvelope(json, "paged");
    expect(json.data.map((p) => p.name)).toEqual(["Cart kit"]);
    expect(json.meta).toEqual({ limit: 1, offset: 1, count: 2 });
  });

  it("GET /products/{id} of a kit bundles its SKUs and kit parts, no follow-up needed", async () => {
    const { status, json } = await get(`/products/${farm.skus.kit.productId}`, "getProduct");
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixture("products.get").data);
    expect(json.data).toMatchObject({ name: "Cart kit", requires_assembly: true });
    expect(json.data.skus.map((x) => x.id)).toEqual([farm.skus.kit.id]);
    expect(json.data.kit.parts).toEqual([
      expect.objectContaining({
        part_id: farm.skus.wheel.productId,
        name: "Wheel",
        quantity_per_kit: 4,
        fixed_color: "Black",
        variants: [
          expect.objectContaining({
            kit_sku_id: farm.skus.kit.id,
            child_sku_id: farm.skus.wheel.id,
            child_sku: "PART-WHEEL",
            child_on_hand: 9,
          }),
        ],
      }),
    ]);
  });

  it("GET /skus answers every SKU with AutoPrintFarm's fields, no meta", async () => {
    const { status, json } = await get("/skus", "listSkus");
    expect(status).toBe(200);
    expectEnvelope(json, "list");
    expectDocumentedShape(json.data, fixture("skus.list").data);
    expect(json.data).toHaveLength(5);
    for (const x of json.data) expect(x.finished_goods_stock).toBe(x.stock_level);
  });

  it("GET /skus?low_stock=true answers the SKUs at or below their threshold", async () => {
    const { json } = await get("/skus?low_stock=true", "listSkus");
    expect(json.data.map((x) => x.sku)).toEqual(["HOOK-RED", "VASE-WHT"]);
  });

  it("GET /skus/{id} of a kit carries available_to_build and effective_status", async () => {
    const { status, json } = await get(`/skus/${farm.skus.kit.id}`, "getSku");
    expect(status).toBe(200);
    expectEnvelope(json, "item");
    expectDocumentedShape(json.data, fixture("skus.get").data);
    expect(json.data).toMatchObject({
      id: farm.skus.kit.id,
      is_composite: true,
      available_to_build: 2,
      effective_status: "in_stock",
    });
  });
});

describe("what apf does not manage", () => {
  it.each(["/orders", "/orders/stats", "/customers", "/analytics/revenue"])(
    "GET %s answers 404 NOT_FOUND saying apf keeps no orders, revenue or customers",
    async (path) => {
      const { status, json } = await refused(path);
      expect(status).toBe(404);
      expect(json).toMatchObject({ success: false, code: "NOT_FOUND" });
      expect(json.error).toMatch(/^apf does not manage (orders|customers|revenue)/);
    },
  );
});

describe("scopes", () => {
  it("answers INSUFFICIENT_SCOPE in AutoPrintFarm's envelope, naming the narrowest scope", async () => {
    const readOnly = await createApiKey(services.db, orgId, { scopes: ["read"] });
    const res = await call(app, `/public/v1/inventory/${farm.skus.low.inventoryId}/threshold`, {
      key: readOnly.key,
      method: "PUT",
      json: { low_stock_threshold: 1 },
    });
    expect(res.status).toBe(403);
    const json = await body(res);
    const documented = fixture("error.insufficient-scope");
    for (const field of Object.keys(documented)) expect(json).toHaveProperty(field);
    expect(json).toMatchObject({
      success: false,
      code: "INSUFFICIENT_SCOPE",
      error: "API key missing required scope: inventory:write",
    });
  });
});
