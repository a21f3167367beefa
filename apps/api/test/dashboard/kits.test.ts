import { skus, stockMovements } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createTeam } from "../support/dashboard-factories.ts";
import { createApiKey } from "../support/factories.ts";
import { createSku } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

/** A team with a kit SKU and two part SKUs with stock. */
async function kitFarm(wheels = 9, frames = 3) {
  const team = await createTeam(services);
  const org = team.organization.id;
  const kit = await createSku(services.db, org, { sku: "CART-KIT", productName: "Cart kit" });
  const wheel = await createSku(services.db, org, { sku: "WHEEL", readyStock: wheels });
  const frame = await createSku(services.db, org, { sku: "FRAME", readyStock: frames });
  const base = `/api/orgs/${org}/skus/${kit.id}`;
  const setParts = (parts: unknown, token = team.owner.token) =>
    call(app, "PUT", `${base}/parts`, { token, body: { parts } });
  const assemble = (count: number, token = team.owner.token) =>
    call(app, "POST", `${base}/assemble`, { token, body: { count } });
  return { team, org, kit, wheel, frame, base, setParts, assemble };
}

async function stock(id: string) {
  const [row] = await services.db.select().from(skus).where(eq(skus.id, id));
  return row!.readyStock;
}

describe("kit parts", () => {
  it("sets and lists a kit's parts with their quantities, audited", async () => {
    const f = await kitFarm();
    const res = await f.setParts([
      { part_sku_id: f.wheel.id, quantity: 4 },
      { part_sku_id: f.frame.id, quantity: 1 },
    ]);
    expect(res.status).toBe(200);
    expect(dataOf(res, "dashboardSetSkuParts")).toEqual([
      expect.objectContaining({
        part_sku_id: f.frame.id,
        sku: "FRAME",
        quantity: 1,
        ready_stock: 3,
      }),
      expect.objectContaining({
        part_sku_id: f.wheel.id,
        sku: "WHEEL",
        quantity: 4,
        ready_stock: 9,
      }),
    ]);
    const listed = await call(app, "GET", `${f.base}/parts`, { token: f.team.member.token });
    expect(listed.status).toBe(200);
    expect(dataOf(listed, "dashboardListSkuParts").map((p) => p.sku)).toEqual(["FRAME", "WHEEL"]);
    const audit = await call(app, "GET", `/api/orgs/${f.org}/audit-events`, {
      token: f.team.owner.token,
    });
    expect(dataOf(audit, "dashboardListAuditEvents")[0]).toMatchObject({
      action: "sku.parts_changed",
      target: { type: "sku", id: f.kit.id },
    });

    const cleared = await f.setParts([]);
    expect(dataOf(cleared, "dashboardSetSkuParts")).toEqual([]);
  });

  it("refuses a member, a part of another organization, itself, a duplicate and a nested kit", async () => {
    const f = await kitFarm();
    expect(
      (await f.setParts([{ part_sku_id: f.wheel.id, quantity: 1 }], f.team.member.token)).status,
    ).toBe(403);
    const other = await createSku(services.db, (await createTeam(services)).organization.id);
    const foreign = await f.setParts([{ part_sku_id: other.id, quantity: 1 }]);
    expect(foreign.status).toBe(400);
    expect(failure(foreign).error).toContain('"parts.0.part_sku_id"');
    const self = await f.setParts([{ part_sku_id: f.kit.id, quantity: 1 }]);
    expect(self.status).toBe(400);
    const twice = await f.setParts([
      { part_sku_id: f.wheel.id, quantity: 1 },
      { part_sku_id: f.wheel.id, quantity: 2 },
    ]);
    expect(twice.status).toBe(400);
    expect(failure(twice).error).toContain('"parts.1.part_sku_id"');
    const zero = await f.setParts([{ part_sku_id: f.wheel.id, quantity: 0 }]);
    expect(zero.status).toBe(400);
    expect(failure(zero).error).toContain('"parts.0.quantity"');

    await f.setParts([{ part_sku_id: f.wheel.id, quantity: 1 }]);
    const bigKit = await createSku(services.db, f.org, { sku: "BIG-KIT" });
    const nested = await call(app, "PUT", `/api/orgs/${f.org}/skus/${bigKit.id}/parts`, {
      token: f.team.owner.token,
      body: { parts: [{ part_sku_id: f.kit.id, quantity: 1 }] },
    });
    expect(nested.status).toBe(409);
    const partAsKit = await call(app, "PUT", `/api/orgs/${f.org}/skus/${f.wheel.id}/parts`, {
      token: f.team.owner.token,
      body: { parts: [{ part_sku_id: f.frame.id, quantity: 1 }] },
    });
    expect(partAsKit.status).toBe(409);
  });

  it("answers 404 for another organization's kit", async () => {
    const f = await kitFarm();
    const outsider = await createTeam(services);
    const res = await call(app, "GET", `${f.base}/parts`, { token: outsider.owner.token });
    expect(res.status).toBe(404);
  });
});

describe("assembling kits", () => {
  it("takes the parts and adds the kits in one set of movements", async () => {
    const f = await kitFarm(9, 3);
    await f.setParts([
      { part_sku_id: f.wheel.id, quantity: 4 },
      { part_sku_id: f.frame.id, quantity: 1 },
    ]);
    const res = await f.assemble(2);
    expect(res.status).toBe(201);
    expect(dataOf(res, "dashboardAssembleKits").kit).toMatchObject({
      id: f.kit.id,
      ready_stock: 2,
    });
    expect(await stock(f.wheel.id)).toBe(1);
    expect(await stock(f.frame.id)).toBe(1);
    expect(await stock(f.kit.id)).toBe(2);
    const deltas = Object.fromEntries(
      dataOf(res, "dashboardAssembleKits").movements.map((m) => [m.sku_id, m.delta]),
    );
    expect(deltas).toEqual({ [f.wheel.id]: -8, [f.frame.id]: -2, [f.kit.id]: 2 });
  });

  it("moves nothing when a part is short, and names the part", async () => {
    const f = await kitFarm(9, 1);
    await f.setParts([
      { part_sku_id: f.wheel.id, quantity: 4 },
      { part_sku_id: f.frame.id, quantity: 1 },
    ]);
    const res = await f.assemble(2);
    expect(res.status).toBe(409);
    expect(failure(res).error).toContain("FRAME");
    expect(await stock(f.wheel.id)).toBe(9);
    expect(await stock(f.frame.id)).toBe(1);
    expect(await stock(f.kit.id)).toBe(0);
    const movements = await services.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.organizationId, f.org));
    expect(movements).toEqual([]);
  });

  it("refuses a SKU without parts, a member, and a count out of range", async () => {
    const f = await kitFarm();
    expect((await f.assemble(1)).status).toBe(409);
    await f.setParts([{ part_sku_id: f.wheel.id, quantity: 1 }]);
    expect((await f.assemble(1, f.team.member.token)).status).toBe(403);
    const zero = await f.assemble(0);
    expect(zero.status).toBe(400);
    expect(failure(zero).error).toContain('"count"');
  });
});

describe("the stock view", () => {
  async function statuses(f: Awaited<ReturnType<typeof kitFarm>>) {
    const { key } = await createApiKey(services.db, f.org, { scopes: ["read"] });
    const dashboard = await call(app, "GET", `/api/orgs/${f.org}/skus/${f.kit.id}`, {
      token: f.team.member.token,
    });
    const listed = await call(app, "GET", `/api/orgs/${f.org}/skus`, {
      token: f.team.member.token,
    });
    const publicRes = await app.request(`/public/v1/inventory/by-sku/${f.kit.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const publicItem = (await publicRes.json()) as { data: { status: string } };
    return {
      dashboard: dataOf(dashboard, "dashboardGetSku").status,
      dashboardList: dataOf(listed, "dashboardListSkus").find((s) => s.id === f.kit.id)?.status,
      public: publicItem.data.status,
    };
  }

  it("reads a kit the same on the dashboard and /public/v1: needs_assembly, then in stock, then out", async () => {
    const f = await kitFarm(4, 1);
    await f.setParts([
      { part_sku_id: f.wheel.id, quantity: 4 },
      { part_sku_id: f.frame.id, quantity: 1 },
    ]);
    expect(await statuses(f)).toEqual({
      dashboard: "needs_assembly",
      dashboardList: "needs_assembly",
      public: "needs_assembly",
    });
    const assembled = await f.assemble(1);
    expect(dataOf(assembled, "dashboardAssembleKits").kit.status).toBe("in_stock");
    expect(await statuses(f)).toEqual({
      dashboard: "in_stock",
      dashboardList: "in_stock",
      public: "in_stock",
    });
    await services.db.update(skus).set({ readyStock: 0 }).where(eq(skus.id, f.kit.id));
    expect(await statuses(f)).toEqual({
      dashboard: "out_of_stock",
      dashboardList: "out_of_stock",
      public: "out_of_stock",
    });
  });
});
