import { filamentSpools } from "@apf/db";
import { listEvents } from "@apf/db/queries/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { revokeLeakedTokens } from "../../src/modules/keys/leaked-tokens.ts";
import { machine, postReport, report } from "../agent/report-builder.ts";
import { call, createPrinter, createTeam } from "../support/dashboard-factories.ts";
import { createAgent, createApiKey } from "../support/factories.ts";
import { createSku } from "../support/public-factories.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";

// Changes made by people (the dashboard) and by other paths than agents' reports, each with the
// event the contract names for it (/work/shared/spec/events.md's list of types).

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ events: { sweepMs: 3_600_000 } });
  app = createApp(services);
});
afterAll(() => services.close());

/** The organization's events once numbered, oldest first, as [type, data]. */
async function logged(organizationId: string) {
  await services.events.relay.runOnce();
  return (await listEvents(services.db, organizationId, { after: 0, limit: 100 })).map(
    (e) => [e.type, e.data] as const,
  );
}

/** An agent that reported once (agent.connected), with its token. */
async function connectedAgent(organizationId: string) {
  const agent = await createAgent(services.db, organizationId);
  const res = await postReport(
    app,
    agent.token,
    report([machine({ observedAt: services.clock.now() })]),
  );
  expect(res.status).toBe(202);
  return agent;
}

describe("an agent's token revoked", () => {
  it("from the dashboard disconnects the connected agent: agent.disconnected, once", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const agent = await connectedAgent(org);
    const res = await call(app, "DELETE", `/api/orgs/${org}/agents/${agent.id}`, {
      token: team.owner.token,
    });
    expect(res.status).toBe(200);
    const agentEvents = async () =>
      (await logged(org)).filter(([type]) => type.startsWith("agent."));
    const expected = [
      ["agent.connected", expect.objectContaining({ id: agent.id, is_online: true })],
      ["agent.disconnected", { id: agent.id }],
    ];
    expect(await agentEvents()).toEqual(expected);
    // The staleness sweep finds nothing more to announce about it.
    (services.clock as TestClock).advance((services.config.APF_STALE_AFTER_S + 1) * 1000);
    await services.events.sweepOnce();
    expect(await agentEvents()).toEqual(expected);
  });

  it("because it leaked disconnects the connected agent: agent.disconnected", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const agent = await connectedAgent(org);
    const [verdict] = await revokeLeakedTokens(services, [
      {
        token: agent.token,
        type: "apf_agent_token",
        url: "https://github.com/x/y",
        source: "content",
      },
    ]);
    expect(verdict?.label).toBe("true_positive");
    expect((await logged(org)).map(([type]) => type)).toEqual([
      "agent.connected",
      "agent.disconnected",
    ]);
  });

  it("of an agent that never reported records no agent event", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const agent = await createAgent(services.db, org);
    const res = await call(app, "DELETE", `/api/orgs/${org}/agents/${agent.id}`, {
      token: team.owner.token,
    });
    expect(res.status).toBe(200);
    expect(await logged(org)).toEqual([]);
  });
});

describe("a printer edited from the dashboard", () => {
  it("records printer.updated with the printer as changed", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const printer = await createPrinter(services.db, org);
    const res = await call(app, "PATCH", `/api/orgs/${org}/printers/${printer.id}`, {
      token: team.admin.token,
      body: { name: "MK4 #7", location: "Rack 3" },
    });
    expect(res.status).toBe(200);
    expect(await logged(org)).toEqual([
      [
        "printer.updated",
        expect.objectContaining({ id: printer.id, name: "MK4 #7", location: "Rack 3" }),
      ],
    ]);
  });

  it("records nothing when the printer is not the organization's", async () => {
    const team = await createTeam(services);
    const other = await createTeam(services);
    const theirs = await createPrinter(services.db, other.organization.id);
    const res = await call(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${theirs.id}`,
      {
        token: team.admin.token,
        body: { name: "Mine now" },
      },
    );
    expect(res.status).toBe(404);
    expect(await logged(team.organization.id)).toEqual([]);
    expect(await logged(other.organization.id)).toEqual([]);
  });
});

describe("a filament spool going below its threshold", () => {
  it("records inventory.low_stock once, when it crosses downwards", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const [spool] = await services.db
      .insert(filamentSpools)
      .values({ organizationId: org, type: "PLA", remainingGrams: 800, lowThreshold: 150 })
      .returning();
    const patch = (body: Record<string, unknown>) =>
      call(app, "PATCH", `/api/orgs/${org}/filament/${spool!.id}`, {
        token: team.admin.token,
        body,
      });
    expect((await patch({ remaining_grams: 400 })).status).toBe(200); // still above
    expect((await patch({ remaining_grams: 120 })).status).toBe(200); // crosses
    expect((await patch({ remaining_grams: 90 })).status).toBe(200); // already low
    expect((await patch({ remaining_grams: 1000 })).status).toBe(200); // refilled
    expect((await patch({ remaining_grams: 150 })).status).toBe(200); // at the threshold: crosses
    const log = await logged(org);
    expect(log).toEqual([
      [
        "inventory.low_stock",
        expect.objectContaining({ id: spool!.id, remaining_grams: 120, low_threshold: 150 }),
      ],
      ["inventory.low_stock", expect.objectContaining({ id: spool!.id, remaining_grams: 150 })],
    ]);
  });

  it("records it when the threshold is raised above what is left", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const [spool] = await services.db
      .insert(filamentSpools)
      .values({ organizationId: org, type: "PETG", remainingGrams: 300, lowThreshold: null })
      .returning();
    const res = await call(app, "PATCH", `/api/orgs/${org}/filament/${spool!.id}`, {
      token: team.admin.token,
      body: { low_threshold: 500 },
    });
    expect(res.status).toBe(200);
    expect((await logged(org)).map(([type]) => type)).toEqual(["inventory.low_stock"]);
  });
});

describe("a SKU's low-stock threshold raised to its stock or above", () => {
  it("from the dashboard records inventory.low_stock, once", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const sku = await createSku(services.db, org, { readyStock: 8, lowStockThreshold: 2 });
    const patch = (threshold: number) =>
      call(app, "PATCH", `/api/orgs/${org}/skus/${sku.id}`, {
        token: team.admin.token,
        body: { low_stock_threshold: threshold },
      });
    expect((await patch(5)).status).toBe(200); // 8 > 5: not low
    expect((await patch(8)).status).toBe(200); // 8 <= 8: low
    expect((await patch(10)).status).toBe(200); // already low
    expect(await logged(org)).toEqual([
      [
        "inventory.low_stock",
        expect.objectContaining({ product_sku_id: sku.id, ready_stock: 8, low_stock_threshold: 8 }),
      ],
    ]);
  });

  it("through /public/v1 records inventory.low_stock", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const sku = await createSku(services.db, org, { readyStock: 3, lowStockThreshold: null });
    const { key } = await createApiKey(services.db, org);
    const res = await app.request(`/public/v1/inventory/${sku.inventoryId}/threshold`, {
      method: "PUT",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ low_stock_threshold: 3 }),
    });
    expect(res.status).toBe(200);
    expect(await logged(org)).toEqual([
      ["inventory.low_stock", expect.objectContaining({ product_sku_id: sku.id, ready_stock: 3 })],
    ]);
  });
});
