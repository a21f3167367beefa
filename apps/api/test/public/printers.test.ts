import { printers } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent } from "../support/factories.ts";
import { createJob, createPrinter } from "../support/public-factories.ts";
import type { TestClock, TestServices } from "../support/services.ts";
import { autoPrintFarmFixture, fixtureItem, keysOf } from "./fixtures.ts";
import {
  answer,
  call,
  dataOf,
  failure,
  publicTestServices,
  type TestApp,
  tenant,
} from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let clock: TestClock;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  clock = services.clock as TestClock;
});
afterAll(() => services.close());

const ago = (seconds: number) => new Date(clock.now().getTime() - seconds * 1000);

async function farm() {
  const t = await tenant(services.db);
  const org = t.organization.id;
  const list = async (query = "") => {
    const res = await call(app, `/public/v1/printers${query}`, { key: t.key });
    return { res, json: await answer(res, "listPrinters") };
  };
  const refused = async (query: string) => {
    const res = await call(app, `/public/v1/printers${query}`, { key: t.key });
    return { res, json: await failure(res) };
  };
  return { ...t, org, list, refused };
}

describe("GET /public/v1/printers", () => {
  it("answers AutoPrintFarm's envelope and fields, plus ours, without meta unless paged", async () => {
    const f = await farm();
    const agent = await createAgent(services.db, f.org);
    const printer = await createPrinter(services.db, f.org, {
      agentId: agent.id,
      name: "Prusa MK4 #1",
      model: "MK4",
      manufacturer: "Prusa",
      location: "Rack A",
      nozzleSize: 0.4,
      currentColor: "Galaxy Black",
      currentColorHex: "#1a1a1a",
      currentFilamentType: "PLA",
      currentBuildPlate: "Textured PEI",
      status: "printing",
      sourceVersion: "1.10.2",
      temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
      progressPercentage: 42.5,
      lastSeenAt: ago(5),
    });
    const job = await createJob(services.db, f.org, { printerId: printer.id, status: "printing" });
    await services.db
      .update(printers)
      .set({ currentJobId: job.id })
      .where(eq(printers.id, printer.id));
    const { res, json } = await f.list();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const fixture = autoPrintFarmFixture("printers.list");
    expect(keysOf(json)).toEqual(keysOf(fixture));
    expect(json.meta).toBeUndefined();
    const item = json.data[0];
    for (const field of Object.keys(fixtureItem(fixture))) expect(item).toHaveProperty(field);
    expect(item).toEqual({
      id: printer.id,
      name: "Prusa MK4 #1",
      model: "MK4",
      manufacturer: "Prusa",
      status: "printing",
      location: "Rack A",
      nozzle_size: 0.4,
      current_color: "Galaxy Black",
      current_color_hex: "#1a1a1a",
      current_filament_type: "PLA",
      current_build_plate: "Textured PEI",
      has_ams: false,
      is_active: true,
      created_at: printer.createdAt.toISOString(),
      updated_at: printer.updatedAt.toISOString(),
      source: { type: "octoprint", version: "1.10.2", agent_id: agent.id },
      online: true,
      last_seen_at: ago(5).toISOString(),
      temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
      current_job_id: job.id,
      progress_percentage: 42.5,
      available_actions: ["pause", "stop"],
    });
    expect(JSON.stringify(json)).not.toMatch(/machine_id|source_url|last_error|organization/);
  });

  it("reads a printer offline once its agent is silent for longer than the stale window", async () => {
    const f = await farm();
    await createPrinter(services.db, f.org, {
      name: "fresh",
      status: "printing",
      lastSeenAt: ago(60),
    });
    await createPrinter(services.db, f.org, {
      name: "stale",
      status: "printing",
      lastSeenAt: ago(61),
    });
    await createPrinter(services.db, f.org, { name: "never", status: "idle", lastSeenAt: null });
    await createPrinter(services.db, f.org, {
      name: "unreachable",
      status: "idle",
      reachable: false,
      lastSeenAt: ago(1),
    });
    const { json } = await f.list();
    const byName = Object.fromEntries(json.data.map((p) => [p.name, [p.status, p.online]]));
    expect(byName).toEqual({
      fresh: ["printing", true],
      stale: ["offline", false],
      never: ["offline", false],
      unreachable: ["idle", false],
    });
    const printing = await f.list("?status=printing");
    expect(printing.json.data.map((p) => p.name)).toEqual(["fresh"]);
    const offline = await f.list("?status=offline");
    expect(offline.json.data.map((p) => p.name).sort()).toEqual(["never", "stale"]);
  });

  it("takes the stale window from APF_STALE_AFTER_S", async () => {
    const patient = await publicTestServices({
      database: services.database,
      env: { APF_STALE_AFTER_S: "300" },
    });
    try {
      const f = await farm();
      await createPrinter(services.db, f.org, { status: "idle", lastSeenAt: ago(200) });
      const res = await call(createApp(patient), "/public/v1/printers", { key: f.key });
      expect((await dataOf(res, "listPrinters"))[0]).toMatchObject({
        status: "idle",
        online: true,
      });
      expect((await f.list()).json.data[0]).toMatchObject({ status: "offline", online: false });
    } finally {
      await patient.close();
    }
  });

  it("filters by is_active, location (exact) and search (case-insensitive substring)", async () => {
    const f = await farm();
    const seen = ago(1);
    await createPrinter(services.db, f.org, {
      name: "Voron 2.4",
      location: "Rack A",
      lastSeenAt: seen,
    });
    await createPrinter(services.db, f.org, {
      name: "Prusa MK4",
      location: "Rack B",
      lastSeenAt: seen,
    });
    await createPrinter(services.db, f.org, {
      name: "Old prusa",
      location: "rack a",
      isActive: false,
      lastSeenAt: seen,
    });
    await createPrinter(services.db, f.org, { name: "100% infill_box", lastSeenAt: seen });
    const names = async (q: string) => (await f.list(q)).json.data.map((p) => p.name);
    expect(await names("?is_active=false")).toEqual(["Old prusa"]);
    expect(await names("?is_active=true")).toHaveLength(3);
    expect(await names("?location=Rack%20A")).toEqual(["Voron 2.4"]);
    expect(await names("?search=PRUSA")).toEqual(["Old prusa", "Prusa MK4"]);
    expect(await names("?search=prusa&is_active=true")).toEqual(["Prusa MK4"]);
    expect(await names("?search=%25")).toEqual(["100% infill_box"]);
    expect(await names("?search=_")).toEqual(["100% infill_box"]);
    expect(await names(`?search=${"x".repeat(120)}`)).toEqual([]);
  });

  it("pages on request, with meta {limit, offset, count}", async () => {
    const f = await farm();
    for (const name of ["a", "b", "c", "d", "e"]) {
      await createPrinter(services.db, f.org, { name, lastSeenAt: ago(1) });
    }
    const page = await f.list("?limit=2&offset=1");
    expect(page.json.data.map((p) => p.name)).toEqual(["b", "c"]);
    expect(page.json.meta).toEqual({ limit: 2, offset: 1, count: 5 });
    const limitOnly = await f.list("?limit=500");
    expect(limitOnly.json.meta).toEqual({ limit: 500, offset: 0, count: 5 });
    const offsetOnly = await f.list("?offset=4");
    expect(offsetOnly.json.meta).toEqual({ limit: 500, offset: 4, count: 5 });
    expect(offsetOnly.json.data.map((p) => p.name)).toEqual(["e"]);
    const past = await f.list("?offset=10");
    expect(past.json).toMatchObject({ data: [], meta: { count: 5 } });
    const filtered = await f.list("?limit=1&search=e");
    expect(filtered.json.meta?.count).toBe(1);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=", "limit"],
    ["offset=-1", "offset"],
    ["is_active=yes", "is_active"],
    ["is_active=1", "is_active"],
    ["status=sleeping", "status"],
    ["status=", "status"],
    [`search=${"x".repeat(121)}`, "search"],
    ["search=", "search"],
    ["search=%00", "search"],
    ["location=a%00b", "location"],
    ["limit=1&limit=2", "limit"],
  ])("answers INVALID_REQUEST naming the parameter for ?%s", async (query, name) => {
    const f = await farm();
    const { res, json } = await f.refused(`?${query}`);
    expect(res.status).toBe(400);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain(`"${name}"`);
    expect(res.headers.get("x-ratelimit-limit")).toBe("120");
  });

  it("says what is allowed in the INVALID_REQUEST message", async () => {
    const f = await farm();
    expect((await f.refused("?limit=0")).json.error).toBe(
      'Invalid query parameter "limit": must be a whole number from 1 to 500',
    );
    expect((await f.refused("?status=busy")).json.error).toContain(
      "idle, printing, paused, pausing, cancelling, error, offline",
    );
  });
});

describe("GET /public/v1/printers/{id}", () => {
  it("answers the printer in the envelope", async () => {
    const f = await farm();
    const printer = await createPrinter(services.db, f.org, { name: "Solo", lastSeenAt: ago(1) });
    const res = await call(app, `/public/v1/printers/${printer.id}`, { key: f.key });
    expect(res.status).toBe(200);
    const json = await answer(res, "getPrinter");
    expect(json).toMatchObject({ success: true, data: { id: printer.id, name: "Solo" } });
    expect("meta" in json).toBe(false);
    expect(json.data.temperatures).toEqual({});
    expect(json.data.progress_percentage).toBeNull();
  });

  it.each([
    ["an unknown id", "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8"],
    ["a malformed id", "not-a-uuid"],
    ["an SQL-looking id", "1' or '1'='1"],
    ["an id with trailing junk", "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8x"],
  ])("answers NOT_FOUND for %s", async (_name, id) => {
    const f = await farm();
    const res = await call(app, `/public/v1/printers/${encodeURIComponent(id)}`, { key: f.key });
    expect(res.status).toBe(404);
    expect((await failure(res)).code).toBe("NOT_FOUND");
  });
});
