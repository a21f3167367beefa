import { randomUUID } from "node:crypto";
import { events, printFiles, tasks } from "@apf/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../apps/api/src/app.ts";
import type { JsonObject } from "../../apps/api/test/public/fixtures.ts";
import {
  asObject,
  asObjects,
  body,
  call,
  failure,
  publicTestServices,
  type TestApp,
  tenant,
} from "../../apps/api/test/public/helpers.ts";
import {
  type OpenAPI3,
  openApiDocument,
  operationAt,
  operations,
  parametersOf,
  resolve,
} from "../../apps/api/test/public/openapi-document.ts";
import { createSku } from "../../apps/api/test/support/public-factories.ts";
import type { TestServices } from "../../apps/api/test/support/services.ts";
import { type SeededFarm, seedFarm } from "./seed.ts";

/**
 * A known filter is never ignored: every documented query filter of every list route, walked
 * against a seeded farm, answers a non-empty strict subset of the unfiltered list, made of
 * exactly the items the filter describes. The list of filters is read from the OpenAPI
 * document, so a filter added there without a case here fails this file.
 */
let services: TestServices;
let app: TestApp;
let farm: SeededFarm;
let key: string;
let doc: OpenAPI3;
const PRODUCT_ID = randomUUID();

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db, "Filter farm");
  key = t.key;
  farm = await seedFarm(services.db, t.organization.id, services.clock.now());
  // The worklist: a bed to clear and a finished maintenance task.
  await services.db.insert(tasks).values([
    {
      organizationId: t.organization.id,
      taskType: "collection",
      status: "pending",
      title: "Clear the bed",
    },
    {
      organizationId: t.organization.id,
      taskType: "maintenance",
      status: "completed",
      title: "Grease the rods",
    },
  ]);
  // Print files: two slicings of different parts, materials and printers.
  const file = (name: string, values: Partial<typeof printFiles.$inferInsert>) => {
    const id = randomUUID();
    return {
      id,
      organizationId: t.organization.id,
      name,
      originalFilename: `${name}.gcode`,
      storageKey: `${t.organization.id}/${id}.gcode`,
      fileSizeBytes: 100,
      sha256: "0".repeat(64),
      ...values,
    };
  };
  await services.db
    .insert(printFiles)
    .values([
      file("hook", { productId: PRODUCT_ID, filamentType: "PLA", printerModel: "MK4S" }),
      file("bracket", { filamentType: "PETG", printerModel: "MINI" }),
    ]);
  // A retired product (its one SKU inactive), so the is_active filters have both sides.
  await createSku(services.db, t.organization.id, {
    sku: "LAMP-GRN",
    productName: "Lamp",
    color: "Green",
    material: "PLA",
    readyStock: 1,
    isActive: false,
  });
  // The event log: three events, numbered.
  await services.db.insert(events).values(
    (["job.queued", "job.completed", "printer.status_changed"] as const).map((type) => ({
      organizationId: t.organization.id,
      type,
      data: {},
    })),
  );
  await services.events.relay.runOnce();
  doc = await openApiDocument(await app.request("/public/v1/openapi.json"));
});
afterAll(() => services.close());

interface FilterCase {
  value: () => string;
  /** Whether an item of the unfiltered list belongs in the filtered one. */
  matches: (item: JsonObject) => boolean;
  /**
   * A filter on a field apf records nothing for (every item has it null): it narrows to no
   * item at all, never to every item.
   */
  empty?: true;
}

/** A number field of an item (every list's items are read alike here, as JSON objects). */
const numberOf = (item: JsonObject, field: string) => {
  const value = item[field];
  return typeof value === "number" ? value : null;
};
const textOf = (item: JsonObject, field: string) => {
  const value = item[field];
  return typeof value === "string" ? value : "";
};
const atMost = (value: number | null, limit: number | null) =>
  value !== null && limit !== null && value <= limit;
const isLowItem = (i: JsonObject) =>
  atMost(numberOf(i, "ready_stock"), numberOf(i, "low_stock_threshold"));
const isLowSku = (x: JsonObject) =>
  atMost(numberOf(x, "stock_level"), numberOf(x, "low_stock_threshold"));
const isLowSpool = (s: JsonObject) =>
  atMost(numberOf(s, "remaining_grams"), numberOf(s, "low_threshold"));

/** Documented filters by list path; each value walked on its own. */
const FILTERS: Record<string, Record<string, FilterCase[]>> = {
  "/public/v1/printers": {
    is_active: [
      { value: () => "true", matches: (p) => p.is_active === true },
      { value: () => "false", matches: (p) => p.is_active === false },
    ],
    status: [
      { value: () => "printing", matches: (p) => p.status === "printing" },
      { value: () => "offline", matches: (p) => p.status === "offline" },
      { value: () => "maintenance", matches: (p) => p.status === "maintenance" },
    ],
    location: [{ value: () => "Shelf B", matches: (p) => p.location === "Shelf B" }],
    search: [
      { value: () => "mk4", matches: (p) => textOf(p, "name").toLowerCase().includes("mk4") },
    ],
  },
  "/public/v1/jobs": {
    status: [
      { value: () => "completed", matches: (j) => j.status === "completed" },
      { value: () => "processing", matches: (j) => j.status === "processing" },
    ],
    printer_id: [
      {
        value: () => farm.printers.printing.id,
        matches: (j) => j.printer_id === farm.printers.printing.id,
      },
    ],
  },
  "/public/v1/inventory": {
    low_stock: [
      { value: () => "true", matches: isLowItem },
      { value: () => "false", matches: (i) => !isLowItem(i) },
    ],
    sku: [{ value: () => "HOOK-RED", matches: (i) => i.sku === "HOOK-RED" }],
    material: [{ value: () => "PETG", matches: (i) => i.material === "PETG" }],
    status: [
      { value: () => "in_stock", matches: (i) => i.status === "in_stock" },
      { value: () => "low_stock", matches: (i) => i.status === "low_stock" },
      { value: () => "out_of_stock", matches: (i) => i.status === "out_of_stock" },
      { value: () => "needs_assembly", matches: (i) => i.status === "needs_assembly" },
    ],
  },
  "/public/v1/products": {
    category: [{ value: () => "Toys", matches: (p) => p.category === "Toys", empty: true }],
    is_active: [
      { value: () => "true", matches: (p) => p.is_active === true },
      { value: () => "false", matches: (p) => p.is_active === false },
    ],
    search: [
      { value: () => "HOO", matches: (p) => textOf(p, "name").toLowerCase().includes("hoo") },
    ],
  },
  "/public/v1/skus": {
    product_id: [
      {
        value: () => farm.skus.low.productId,
        matches: (x) => x.product_id === farm.skus.low.productId,
      },
    ],
    color: [{ value: () => "BLACK", matches: (x) => textOf(x, "color").toLowerCase() === "black" }],
    filament_type: [{ value: () => "PETG", matches: (x) => x.filament_type === "PETG" }],
    low_stock: [
      { value: () => "true", matches: isLowSku },
      { value: () => "false", matches: (x) => !isLowSku(x) },
    ],
    is_active: [
      { value: () => "true", matches: (x) => x.is_active === true },
      { value: () => "false", matches: (x) => x.is_active === false },
    ],
  },
  "/public/v1/files": {
    product_id: [{ value: () => PRODUCT_ID, matches: (f) => f.product_id === PRODUCT_ID }],
    filament_type: [{ value: () => "PETG", matches: (f) => f.filament_type === "PETG" }],
    model_id: [{ value: () => "MK4S", matches: (f) => f.printer_model_id === "MK4S" }],
  },
  "/public/v1/worklist": {
    status: [{ value: () => "pending", matches: (t) => t.status === "pending" }],
    task_type: [{ value: () => "maintenance", matches: (t) => t.task_type === "maintenance" }],
  },
  "/public/v1/events": {
    after: [{ value: () => "1", matches: (e) => (numberOf(e, "sequence") ?? 0) > 1 }],
    types: [
      {
        value: () => "job.completed,printer.status_changed",
        matches: (e) => e.type === "job.completed" || e.type === "printer.status_changed",
      },
    ],
  },
  "/public/v1/materials/filament": {
    low_stock: [
      { value: () => "true", matches: isLowSpool },
      { value: () => "false", matches: (s) => !isLowSpool(s) },
    ],
    material_type: [{ value: () => "PETG", matches: (s) => s.type === "PETG" }],
    color: [{ value: () => "BLACK", matches: (s) => textOf(s, "color").toLowerCase() === "black" }],
  },
};

const PAGING = new Set(["limit", "offset"]);

async function list(path: string, query = "") {
  const res = await call(app, `${path}${query}`, { key });
  expect(res.status).toBe(200);
  return asObjects(asObject(await body(res)).data, `${path}${query} data`);
}

/** Every GET of the document that answers a list (an array under data). */
function documentedLists(): string[] {
  return operations(doc)
    .filter(({ method, operation }) => {
      const ok = method === "get" && operation.responses?.["200"];
      const media = ok ? resolve(doc, ok).content?.["application/json"] : undefined;
      const schema = media?.schema && resolve(doc, media.schema);
      const data = schema?.type === "object" ? schema.properties?.data : undefined;
      return data !== undefined && resolve(doc, data).type === "array";
    })
    .map(({ path }) => path)
    .sort();
}

it("has a case for every documented filter of every list route", () => {
  const documented: Record<string, string[]> = {};
  for (const path of documentedLists()) {
    const filters = parametersOf(doc, operationAt(doc, path, "GET"))
      .filter((p) => p.in === "query" && !PAGING.has(p.name))
      .map((p) => p.name)
      .sort();
    if (filters.length > 0) documented[path] = filters;
  }
  const walked = Object.fromEntries(
    Object.entries(FILTERS).map(([path, filters]) => [path, Object.keys(filters).sort()]),
  );
  expect(walked).toEqual(documented);
});

describe.each(Object.entries(FILTERS))("%s", (path, filters) => {
  const cases = Object.entries(filters).flatMap(([name, values]) =>
    values.map((c) => ({ name, ...c })),
  );

  it.each(cases)(
    "narrows by $name to exactly the matching items",
    async ({ name, value, matches, empty }) => {
      const all = await list(path);
      const filtered = await list(path, `?${name}=${encodeURIComponent(value())}`);
      if (empty) expect(filtered).toEqual([]);
      else expect(filtered.length).toBeGreaterThan(0);
      expect(filtered.length).toBeLessThan(all.length);
      const expected = all
        .filter(matches)
        .map((i) => i.id)
        .sort();
      expect(filtered.map((i) => i.id).sort()).toEqual(expected);
    },
  );

  it("ignores an unknown query parameter, as AutoPrintFarm does", async () => {
    const all = await list(path);
    const withUnknown = await list(path, "?not_a_filter=1&sort=name");
    expect(withUnknown.map((i) => i.id)).toEqual(all.map((i) => i.id));
  });

  it.each(
    Object.keys(filters).filter((n) => n === "status" || n === "low_stock" || n === "is_active"),
  )("answers 400 naming %s and the allowed values for a value outside them", async (name) => {
    const res = await call(app, `${path}?${name}=bogus`, { key });
    expect(res.status).toBe(400);
    const json = await failure(res);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${name}"`);
  });
});
