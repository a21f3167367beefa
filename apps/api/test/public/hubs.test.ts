import { randomUUID } from "node:crypto";
import { agents, commandChannels } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import { TestClock, type TestServices } from "../support/services.ts";
import { answer, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

// Now: 2026-11-23T10:00:00Z; the stale window is APF_STALE_AFTER_S (60 s by default).
const NOW = new Date("2026-11-23T10:00:00.000Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

let services: TestServices;
let app: TestApp;
let key: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  services = await publicTestServices({ clock: new TestClock(NOW) });
  app = createApp(services);
  const t = await tenant(services.db, "Hub farm");
  key = t.key;
  const org = t.organization.id;
  const fresh = await createAgent(services.db, org, "A fresh");
  const polling = await createAgent(services.db, org, "B polling");
  const silent = await createAgent(services.db, org, "C silent");
  const revoked = await createAgent(services.db, org, "D revoked");
  await services.db
    .update(agents)
    .set({ lastSeenAt: ago(30), version: "0.9.1" })
    .where(eq(agents.id, fresh.id));
  await services.db
    .update(agents)
    .set({ lastSeenAt: ago(600) })
    .where(eq(agents.id, polling.id));
  await services.db
    .update(agents)
    .set({ lastSeenAt: ago(600) })
    .where(eq(agents.id, silent.id));
  await services.db
    .update(agents)
    .set({ revokedAt: ago(5) })
    .where(eq(agents.id, revoked.id));
  // B holds its command channel open (a long poll) although its last report is old.
  await services.db
    .insert(commandChannels)
    .values({ agentId: polling.id, openUntil: new Date(NOW.getTime() + 20_000) });
  await createPrinter(services.db, org, {
    agentId: fresh.id,
    name: "Mk4",
    model: "MK4",
    lastSeenAt: ago(30),
  });
  await createPrinter(services.db, org, {
    agentId: fresh.id,
    name: "Mini",
    status: "printing",
    lastSeenAt: ago(30),
  });
  await createPrinter(services.db, org, { agentId: silent.id, name: "Old", lastSeenAt: ago(600) });
  Object.assign(ids, {
    fresh: fresh.id,
    polling: polling.id,
    silent: silent.id,
    revoked: revoked.id,
  });
});
afterAll(() => services.close());

describe("GET /public/v1/hubs", () => {
  it("lists the agents that are not revoked, in AutoPrintFarm's hub fields", async () => {
    const res = await call(app, "/public/v1/hubs", { key });
    expect(res.status).toBe(200);
    const json = await answer(res, "listHubs");
    expect(json.data.map((h) => h.name)).toEqual(["A fresh", "B polling", "C silent"]);
    expect(json.data[0]).toEqual({
      id: ids.fresh,
      name: "A fresh",
      firmware_version: "0.9.1",
      hardware_version: null,
      is_online: true,
      last_seen_at: "2026-11-23T09:59:30.000Z",
      printer_count: 2,
      claimed_at: expect.any(String),
      created_at: expect.any(String),
      updated_at: "2026-11-23T09:59:30.000Z",
    });
    expect(json.data.map((h) => h.is_online)).toEqual([true, true, false]);
    expect(json.data.map((h) => h.printer_count)).toEqual([2, 0, 1]);
  });
});

describe("GET /public/v1/hubs/{id}", () => {
  it("adds is_stale and the hub's printers with their view's status", async () => {
    const res = await call(app, `/public/v1/hubs/${ids.fresh}`, { key });
    const json = await answer(res, "getHub");
    expect(json.data.is_stale).toBe(false);
    expect(json.data.printers).toEqual([
      { id: expect.any(String), name: "Mini", model: null, status: "printing" },
      { id: expect.any(String), name: "Mk4", model: "MK4", status: "idle" },
    ]);
    const silent = await answer(
      await call(app, `/public/v1/hubs/${ids.silent}`, { key }),
      "getHub",
    );
    expect(silent.data).toMatchObject({ is_stale: true, is_online: false });
    expect(silent.data.printers).toEqual([
      { id: expect.any(String), name: "Old", model: null, status: "offline" },
    ]);
    const polling = await answer(
      await call(app, `/public/v1/hubs/${ids.polling}`, { key }),
      "getHub",
    );
    expect(polling.data).toMatchObject({ is_stale: true, is_online: true });
  });

  it("answers 404 for a revoked hub, an unknown id and a malformed one", async () => {
    for (const id of [ids.revoked, randomUUID(), "nope"]) {
      const res = await call(app, `/public/v1/hubs/${id}`, { key });
      expect(res.status, id).toBe(404);
      expect((await failure(res)).code).toBe("NOT_FOUND");
    }
  });
});
