import { stockMovements } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createPrinter, createTeam } from "../support/dashboard-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("printers", () => {
  it("lists the organization's printers to any member", async () => {
    const team = await createTeam(services);
    const printer = await createPrinter(services.db, team.organization.id, {
      name: "MK4",
      lastSeenAt: services.clock.now(),
      temperatures: { tool0: { actual: 214.5, target: 215 }, bed: { actual: 60, target: null } },
    });
    await createPrinter(services.db, (await createTeam(services)).organization.id);
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/printers`, {
      token: team.member.token,
    });
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardListPrinters")).toHaveLength(1);
    expect(dataOf(res, "dashboardListPrinters")[0]).toMatchObject({
      id: printer.id,
      name: "MK4",
      status: "idle",
      online: true,
      temperatures: { tool0: { actual: 214.5, target: 215 }, bed: { actual: 60, target: null } },
      current_job_id: null,
    });
  });

  it("reads a printer whose agent went silent as offline", async () => {
    const team = await createTeam(services);
    await createPrinter(services.db, team.organization.id, {
      status: "printing",
      lastSeenAt: new Date(services.clock.now().getTime() - 61_000),
    });
    const res = await call(app, "GET", `/api/orgs/${team.organization.id}/printers`, {
      token: team.owner.token,
    });
    expect(dataOf(res, "dashboardListPrinters")[0]).toMatchObject({
      status: "offline",
      online: false,
    });
  });

  it("sets what the agent cannot know (admin), audited", async () => {
    const team = await createTeam(services);
    const printer = await createPrinter(services.db, team.organization.id);
    const res = await call(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${printer.id}`,
      {
        token: team.admin.token,
        body: {
          name: "Left MK4",
          location: "Shelf B",
          model: "MK4",
          manufacturer: "Prusa",
          nozzle_size: 0.6,
          current_color: "Galaxy Black",
          current_color_hex: "#1a1a1a",
          current_filament_type: "PETG",
          current_build_plate: "Textured PEI",
          is_active: false,
        },
      },
    );
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardUpdatePrinter")).toMatchObject({
      name: "Left MK4",
      location: "Shelf B",
      nozzle_size: 0.6,
      current_color_hex: "#1a1a1a",
      is_active: false,
    });
    const cleared = await call(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${printer.id}`,
      {
        token: team.owner.token,
        body: { location: null },
      },
    );
    expect(dataOf(cleared, "dashboardUpdatePrinter").location).toBeNull();
    const audit = await call(app, "GET", `/api/orgs/${team.organization.id}/audit-events`, {
      token: team.owner.token,
    });
    expect(dataOf(audit, "dashboardListAuditEvents")[0]).toMatchObject({
      action: "printer.updated",
      target: { type: "printer", id: printer.id },
      details: { changes: { location: null } },
    });
  });

  it.each([
    ["a bad colour", { current_color_hex: "red" }],
    ["a negative nozzle", { nozzle_size: -0.4 }],
    ["an empty body", {}],
    ["a field the agent owns", { status: "printing" }],
  ])("answers 400 for %s", async (_, body) => {
    const team = await createTeam(services);
    const printer = await createPrinter(services.db, team.organization.id);
    const res = await call(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${printer.id}`,
      {
        token: team.owner.token,
        body,
      },
    );
    expect(res.status).toBe(400);
  });

  it("answers 404 for another organization's printer", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await createPrinter(services.db, other.organization.id);
    const res = await call(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${theirs.id}`,
      {
        token: team.owner.token,
        body: { name: "mine now" },
      },
    );
    expect(res.status).toBe(404);
  });
});

describe("SKUs", () => {
  const create = (orgId: string, token: string, body: Record<string, unknown>) =>
    call(app, "POST", `/api/orgs/${orgId}/skus`, { token, body });

  it("creates, lists, reads and changes SKUs", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const res = await create(org, team.admin.token, {
      sku: "BENCHY-RED",
      product_name: "Benchy",
      color: "Red",
      material: "PLA",
      print_file_name: "benchy.gcode",
      units_per_print: 4,
      low_stock_threshold: 10,
      unit_price: "12.5",
      image_url: "https://cdn.example.com/benchy.png",
    });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardCreateSku")).toMatchObject({
      sku: "BENCHY-RED",
      product_name: "Benchy",
      units_per_print: 4,
      ready_stock: 0,
      status: "out_of_stock",
      unit_price: "12.50",
      is_active: true,
    });
    const id = dataOf(res, "dashboardCreateSku").id;
    const list = await call(app, "GET", `/api/orgs/${org}/skus`, { token: team.member.token });
    expect(dataOf(list, "dashboardListSkus").map((s) => s.id)).toEqual([id]);
    const one = await call(app, "GET", `/api/orgs/${org}/skus/${id}`, { token: team.member.token });
    expect(dataOf(one, "dashboardGetSku")).toEqual(dataOf(res, "dashboardCreateSku"));
    const patched = await call(app, "PATCH", `/api/orgs/${org}/skus/${id}`, {
      token: team.owner.token,
      body: { product_name: "3DBenchy", unit_price: 9.99, color: null },
    });
    expect(patched.status).toBe(200);
    expect(dataOf(patched, "dashboardUpdateSku")).toMatchObject({
      product_name: "3DBenchy",
      unit_price: "9.99",
      color: null,
    });
  });

  it("answers 409 for a duplicate SKU code, on create and on rename", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    await create(org, team.owner.token, { sku: "A", product_name: "A" });
    const b = await create(org, team.owner.token, { sku: "B", product_name: "B" });
    const dup = await create(org, team.owner.token, { sku: "A", product_name: "again" });
    expect(dup.status).toBe(409);
    expect(failure(dup).code).toBe("CONFLICT");
    const rename = await call(
      app,
      "PATCH",
      `/api/orgs/${org}/skus/${dataOf(b, "dashboardCreateSku").id}`,
      {
        token: team.owner.token,
        body: { sku: "A" },
      },
    );
    expect(rename.status).toBe(409);
    // Another organization may use the same code.
    const other = await createTeam(services);
    expect(
      (await create(other.organization.id, other.owner.token, { sku: "A", product_name: "A" }))
        .status,
    ).toBe(201);
  });

  it.each([
    ["a missing sku", { product_name: "x" }],
    ["a negative threshold", { sku: "x", product_name: "x", low_stock_threshold: -1 }],
    ["zero units per print", { sku: "x", product_name: "x", units_per_print: 0 }],
    ["a price with 3 decimals", { sku: "x", product_name: "x", unit_price: "1.999" }],
    ["a non-http image", { sku: "x", product_name: "x", image_url: "javascript:alert(1)" }],
  ])("answers 400 for %s", async (_, body) => {
    const team = await createTeam(services);
    expect((await create(team.organization.id, team.owner.token, body)).status).toBe(400);
  });

  it("answers 404 for another organization's SKU", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await create(other.organization.id, other.owner.token, {
      sku: "T",
      product_name: "T",
    });
    const id = dataOf(theirs, "dashboardCreateSku").id;
    const org = team.organization.id;
    expect(
      (await call(app, "GET", `/api/orgs/${org}/skus/${id}`, { token: team.owner.token })).status,
    ).toBe(404);
    const patch = await call(app, "PATCH", `/api/orgs/${org}/skus/${id}`, {
      token: team.owner.token,
      body: { color: "x" },
    });
    expect(patch.status).toBe(404);
    const stock = await call(app, "POST", `/api/orgs/${org}/skus/${id}/stock`, {
      token: team.owner.token,
      body: { delta: 1, reason: "x" },
    });
    expect(stock.status).toBe(404);
  });

  it("adjusts stock with a movement per change, and never below zero", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const sku = await create(org, team.owner.token, {
      sku: "S",
      product_name: "S",
      low_stock_threshold: 3,
    });
    const path = `/api/orgs/${org}/skus/${dataOf(sku, "dashboardCreateSku").id}/stock`;
    const add = await call(app, "POST", path, {
      token: team.admin.token,
      body: { delta: 5, reason: "recount" },
    });
    expect(add.status).toBe(201);
    expect(dataOf(add, "dashboardAdjustSkuStock").movement).toMatchObject({
      delta: 5,
      reason: "recount",
    });
    expect(dataOf(add, "dashboardAdjustSkuStock").sku).toMatchObject({
      ready_stock: 5,
      status: "in_stock",
    });

    const over = await call(app, "POST", path, {
      token: team.admin.token,
      body: { delta: -6, reason: "sold" },
    });
    expect(over.status).toBe(409);
    expect(failure(over).code).toBe("CONFLICT");

    const sold = await call(app, "POST", path, {
      token: team.admin.token,
      body: { delta: -3, reason: "sold" },
    });
    expect(dataOf(sold, "dashboardAdjustSkuStock").sku).toMatchObject({
      ready_stock: 2,
      status: "low_stock",
    });

    const movements = await services.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.skuId, dataOf(sku, "dashboardCreateSku").id));
    expect(movements.map((m) => m.delta).sort()).toEqual([-3, 5]);
    expect(movements.every((m) => m.actorUserId === team.admin.user.id)).toBe(true);
  });

  it.each([
    ["a zero delta", { delta: 0, reason: "x" }],
    ["a fractional delta", { delta: 1.5, reason: "x" }],
    ["no reason", { delta: 1 }],
  ])("answers 400 to a stock adjustment with %s", async (_, body) => {
    const team = await createTeam(services);
    const sku = await create(team.organization.id, team.owner.token, {
      sku: "Z",
      product_name: "Z",
    });
    const res = await call(
      app,
      "POST",
      `/api/orgs/${team.organization.id}/skus/${dataOf(sku, "dashboardCreateSku").id}/stock`,
      {
        token: team.owner.token,
        body,
      },
    );
    expect(res.status).toBe(400);
  });
});

describe("filament", () => {
  it("creates, lists, reads and changes spools with the public item's fields", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const printer = await createPrinter(services.db, org);
    const res = await call(app, "POST", `/api/orgs/${org}/filament`, {
      token: team.admin.token,
      body: {
        type: "PLA",
        color: "Orange",
        hex_code: "#ff8800",
        brand: "Prusament",
        diameter: 1.75,
        remaining_grams: 850,
        spool_weight_grams: 1000,
        low_threshold: 100,
        status: "in_use",
        location: "Dry box 2",
        printer_id: printer.id,
      },
    });
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardCreateFilamentSpool")).toEqual({
      id: expect.any(String),
      type: "PLA",
      color: "Orange",
      hex_code: "#ff8800",
      brand: "Prusament",
      diameter: "1.75",
      remaining_grams: 850,
      spool_weight_grams: 1000,
      low_threshold: 100,
      status: "in_use",
      location: "Dry box 2",
      printer_id: printer.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = dataOf(res, "dashboardCreateFilamentSpool").id;
    const list = await call(app, "GET", `/api/orgs/${org}/filament`, { token: team.member.token });
    expect(dataOf(list, "dashboardListFilamentSpools")).toEqual([
      dataOf(res, "dashboardCreateFilamentSpool"),
    ]);
    const one = await call(app, "GET", `/api/orgs/${org}/filament/${id}`, {
      token: team.member.token,
    });
    expect(dataOf(one, "dashboardGetFilamentSpool")).toEqual(
      dataOf(res, "dashboardCreateFilamentSpool"),
    );
    const patched = await call(app, "PATCH", `/api/orgs/${org}/filament/${id}`, {
      token: team.owner.token,
      body: { remaining_grams: 40, status: "low", printer_id: null },
    });
    expect(dataOf(patched, "dashboardUpdateFilamentSpool")).toMatchObject({
      remaining_grams: 40,
      status: "low",
      printer_id: null,
    });
  });

  it("answers 400 for a printer of another organization, an unknown status or a bad colour", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await createPrinter(services.db, other.organization.id);
    const path = `/api/orgs/${team.organization.id}/filament`;
    for (const body of [
      { type: "PLA", printer_id: theirs.id },
      { type: "PLA", status: "lost" },
      { type: "PLA", hex_code: "orange" },
      { color: "no type" },
    ]) {
      const res = await call(app, "POST", path, { token: team.owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("answers 404 for another organization's spool", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await call(app, "POST", `/api/orgs/${other.organization.id}/filament`, {
      token: other.owner.token,
      body: { type: "PETG" },
    });
    const path = `/api/orgs/${team.organization.id}/filament/${dataOf(theirs, "dashboardCreateFilamentSpool").id}`;
    expect((await call(app, "GET", path, { token: team.owner.token })).status).toBe(404);
    expect(
      (await call(app, "PATCH", path, { token: team.owner.token, body: { type: "PLA" } })).status,
    ).toBe(404);
  });
});
