import { printers, skus } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createApiKey } from "../support/factories.ts";
import { createPrinter, createSku } from "../support/public-factories.ts";
import type { TestClock, TestServices } from "../support/services.ts";
import { answer, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let key: string;
let orgId: string;
let printerId: string;
let inventoryId: string;
let skuId: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db, "Writes farm");
  orgId = t.organization.id;
  key = (await createApiKey(services.db, orgId, { scopes: ["write", "read"] })).key;
  printerId = (await createPrinter(services.db, orgId, { lastSeenAt: services.clock.now() })).id;
  const sku = await createSku(services.db, orgId, { readyStock: 7, lowStockThreshold: 2 });
  inventoryId = sku.inventoryId;
  skuId = sku.id;
});
afterAll(() => services.close());

const WRITES = [
  {
    method: "PUT",
    path: () => `/public/v1/printers/${printerId}/maintenance`,
    valid: { in_maintenance: false },
  },
  {
    method: "PUT",
    path: () => `/public/v1/inventory/${inventoryId}/threshold`,
    valid: { low_stock_threshold: 2 },
  },
  {
    method: "POST",
    path: () => "/public/v1/materials/filament",
    valid: { type: "PLA", color: "Red" },
  },
] as const;

function raw(method: string, path: string, payload: string, contentType?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (contentType) headers["Content-Type"] = contentType;
  return app.request(path, { method, headers, body: payload });
}

describe.each(WRITES)("$method body rules", ({ method, path, valid }) => {
  it("answers 415 for a body that is not JSON", async () => {
    const res = await raw(
      method,
      path(),
      "in_maintenance=true",
      "application/x-www-form-urlencoded",
    );
    expect(res.status).toBe(415);
    expect((await failure(res)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 415 without a content type", async () => {
    const res = await raw(method, path(), "{}");
    expect(res.status).toBe(415);
  });

  it("answers 413 for a body over 64 KiB", async () => {
    const big = JSON.stringify({ padding: "x".repeat(70 * 1024) });
    const res = await raw(method, path(), big, "application/json");
    expect(res.status).toBe(413);
    expect((await failure(res)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await raw(method, path(), "{not json", "application/json");
    expect(res.status).toBe(400);
    expect((await failure(res)).code).toBe("INVALID_REQUEST");
  });

  it("answers 400 naming an unknown field beside valid ones", async () => {
    const payload = JSON.stringify({ ...valid, surprise: 1 });
    const res = await raw(method, path(), payload, "application/json");
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain("surprise");
  });
});

describe("PUT /public/v1/printers/{id}/maintenance", () => {
  it.each([
    [{ in_maintenance: "yes" }, "in_maintenance"],
    [{ in_maintenance: true, maintenance_type: "x".repeat(121) }, "maintenance_type"],
    [{ in_maintenance: true, maintenance_type: "a\u0000b" }, "maintenance_type"],
    [{}, "in_maintenance"],
  ])("answers 400 naming the field for %j", async (payload, field) => {
    const res = await call(app, `/public/v1/printers/${printerId}/maintenance`, {
      key,
      method: "PUT",
      json: payload,
    });
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain(`"${field}"`);
    const [row] = await services.db.select().from(printers).where(eq(printers.id, printerId));
    expect(row!.inMaintenance).toBe(false);
  });

  it("keeps the date maintenance began when told again", async () => {
    const url = `/public/v1/printers/${printerId}/maintenance`;
    const first = await call(app, url, { key, method: "PUT", json: { in_maintenance: true } });
    const began = (await answer(first, "setPrinterMaintenance")).data.last_maintenance_date;
    (services.clock as TestClock).advance(60_000);
    const again = await call(app, url, {
      key,
      method: "PUT",
      json: { in_maintenance: true, maintenance_type: "bed levelling" },
    });
    expect((await answer(again, "setPrinterMaintenance")).data).toMatchObject({
      last_maintenance_date: began,
      maintenance_type: "bed levelling",
    });
    await call(app, url, { key, method: "PUT", json: { in_maintenance: false } });
  });

  it("answers 404 for an unknown printer and changes nothing", async () => {
    const res = await call(
      app,
      "/public/v1/printers/6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8/maintenance",
      {
        key,
        method: "PUT",
        json: { in_maintenance: true },
      },
    );
    expect(res.status).toBe(404);
  });
});

describe("PUT /public/v1/inventory/{id}/threshold", () => {
  it.each([
    [{ low_stock_threshold: -1 }],
    [{ low_stock_threshold: 1.5 }],
    [{ low_stock_threshold: "3" }],
    [{}],
  ])("answers 400 naming low_stock_threshold for %j and changes nothing", async (payload) => {
    const res = await call(app, `/public/v1/inventory/${inventoryId}/threshold`, {
      key,
      method: "PUT",
      json: payload,
    });
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain('"low_stock_threshold"');
    const [row] = await services.db.select().from(skus).where(eq(skus.id, skuId));
    expect(row!.lowStockThreshold).toBe(2);
  });

  it("clears the threshold with null: the item is never low then", async () => {
    const res = await call(app, `/public/v1/inventory/${inventoryId}/threshold`, {
      key,
      method: "PUT",
      json: { low_stock_threshold: null },
    });
    expect(res.status).toBe(200);
    expect((await answer(res, "setInventoryThreshold")).data).toMatchObject({
      low_stock_threshold: null,
      status: "in_stock",
    });
    await call(app, `/public/v1/inventory/${inventoryId}/threshold`, {
      key,
      method: "PUT",
      json: { low_stock_threshold: 2 },
    });
  });

  it("answers 404 for a product SKU id: the item's id is its own", async () => {
    const res = await call(app, `/public/v1/inventory/${skuId}/threshold`, {
      key,
      method: "PUT",
      json: { low_stock_threshold: 1 },
    });
    expect(res.status).toBe(404);
  });
});

describe("POST /public/v1/materials/filament", () => {
  it.each([
    [{ color: "Red" }, "type"],
    [{ type: "PLA" }, "color"],
    [{ type: "PLA", color: "Red", remaining_grams: -5 }, "remaining_grams"],
    [{ type: "PLA", color: "Red", hex_code: "red" }, "hex_code"],
  ])("answers 400 naming the field for %j", async (payload, field) => {
    const res = await call(app, "/public/v1/materials/filament", { key, json: payload });
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain(`"${field}"`);
  });

  it("answers 400 for a printer of another organization", async () => {
    const other = await tenant(services.db, "Other farm");
    const foreign = await createPrinter(services.db, other.organization.id);
    const res = await call(app, "/public/v1/materials/filament", {
      key,
      json: { type: "PLA", color: "Red", printer_id: foreign.id },
    });
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain('"printer_id"');
  });
});

it("answers a preflight for a write with POST and PUT allowed", async () => {
  const res = await app.request(`/public/v1/inventory/${inventoryId}/threshold`, {
    method: "OPTIONS",
    headers: {
      Origin: "https://anywhere.example",
      "Access-Control-Request-Method": "PUT",
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });
  expect(res.status).toBe(204);
  const methods = res.headers.get("access-control-allow-methods") ?? "";
  for (const m of ["GET", "POST", "PUT"]) expect(methods).toContain(m);
  expect(res.headers.get("access-control-allow-headers")).toContain("Content-Type");
  expect(res.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
});

it("answers METHOD_NOT_ALLOWED naming GET and POST for another method on the filament list", async () => {
  const res = await call(app, "/public/v1/materials/filament", { key, method: "DELETE" });
  expect(res.status).toBe(405);
  const allow = res.headers.get("allow") ?? "";
  expect(allow).toContain("GET");
  expect(allow).toContain("POST");
});
