import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { answer, call, publicTestServices, tenant } from "../public/helpers.ts";
import type { TestServices } from "../support/services.ts";
import { emit } from "./helpers.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("GET /public/v1/events", () => {
  it("pages the log oldest first after a sequence, with next_after and has_more", async () => {
    const a = await tenant(services.db, "A");
    for (let n = 1; n <= 5; n++) {
      await emit(services, a.organization.id, { type: "job.queued", data: { n } });
    }
    const first = await answer(
      await call(app, "/public/v1/events?limit=2", { key: a.key }),
      "listEvents",
    );
    expect(first.data.map((e) => e.sequence)).toEqual([1, 2]);
    expect(first.meta).toEqual({ limit: 2, after: 0, next_after: 2, has_more: true });
    expect(first.data[0]).toMatchObject({
      type: "job.queued",
      organization_id: a.organization.id,
      data: { n: 1 },
    });
    expect(first.data[0]?.id).toMatch(/^evt_[0-9a-f]{32}$/);
    const last = await answer(
      await call(app, "/public/v1/events?after=4&limit=2", { key: a.key }),
      "listEvents",
    );
    expect(last.data.map((e) => e.sequence)).toEqual([5]);
    expect(last.meta).toEqual({ limit: 2, after: 4, next_after: 5, has_more: false });
    const empty = await answer(
      await call(app, "/public/v1/events?after=5", { key: a.key }),
      "listEvents",
    );
    expect(empty).toMatchObject({ data: [], meta: { next_after: 5, has_more: false } });
  });

  it("keeps only the types asked for", async () => {
    const a = await tenant(services.db, "A");
    await emit(
      services,
      a.organization.id,
      { type: "job.queued" },
      { type: "job.completed" },
      { type: "printer.status_changed" },
    );
    const page = await answer(
      await call(app, "/public/v1/events?types=job.completed,printer.status_changed", {
        key: a.key,
      }),
      "listEvents",
    );
    expect(page.data.map((e) => e.type)).toEqual(["job.completed", "printer.status_changed"]);
    const bad = await call(app, "/public/v1/events?types=job.completed,nope", { key: a.key });
    expect(bad.status).toBe(400);
  });

  it("shows each organization its own events only, numbered from 1", async () => {
    const a = await tenant(services.db, "A");
    const b = await tenant(services.db, "B");
    await emit(services, a.organization.id, { type: "job.queued" }, { type: "job.started" });
    await emit(services, b.organization.id, { type: "job.failed" });
    const page = await answer(await call(app, "/public/v1/events", { key: b.key }), "listEvents");
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ sequence: 1, type: "job.failed" });
    expect(JSON.stringify(page)).not.toContain(a.organization.id);
  });

  it("validates after and limit", async () => {
    const a = await tenant(services.db, "A");
    for (const q of ["after=-1", "after=x", "limit=0", "limit=101"]) {
      expect((await call(app, `/public/v1/events?${q}`, { key: a.key })).status).toBe(400);
    }
  });
});
