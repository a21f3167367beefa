// Enqueues written together (group commit): each request keeps its own answer and its rows.
import { auditEvents, events, jobs } from "@apf/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { GroupCommit } from "../../src/platform/group-commit.ts";
import { createApiKey } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { enqueue, queueFarm } from "./helpers.ts";

vi.setConfig({ testTimeout: 60_000 });

let services: TestServices;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("concurrent enqueues", () => {
  it("50 at once with one foreign file: only that one fails, the others are queued 1…49 with their audit and event rows", async () => {
    const f = await queueFarm(services);
    const other = await queueFarm(services);
    const { key } = await createApiKey(services.db, f.organization.id, {
      rateLimitPerMinute: 10_000,
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        enqueue(app, key, { print_file_id: i === 17 ? other.file.id : f.file.id }),
      ),
    );
    expect(answers[17]!.status).toBe(404);
    expect(answers[17]!.body.code).toBe("FILE_NOT_FOUND");
    const queued = answers.filter((_, i) => i !== 17);
    expect(queued.map((a) => a.status)).toEqual(Array(49).fill(201));
    const ids = queued.map((a) => a.body.data!.id);
    expect(new Set(ids).size).toBe(49);

    // The queue as GET lists it: every job once, in places 1…49.
    const rows = await services.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.organizationId, f.organization.id));
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const places = await Promise.all(
      ids.map(async (id) => {
        const res = await app.request(`/public/v1/jobs/${id}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        return ((await res.json()) as { data: { position: number } }).data.position;
      }),
    );
    expect([...places].sort((a, b) => a - b)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));

    const audits = await services.db
      .select({ target: auditEvents.targetId, details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, f.organization.id),
          eq(auditEvents.action, "job.queued"),
        ),
      );
    expect(audits.map((a) => a.target).sort()).toEqual([...ids].sort());
    expect(audits[0]!.details).toMatchObject({ print_file_id: f.file.id, printer_id: null });
    const queuedEvents = await services.db
      .select({ data: events.data })
      .from(events)
      .where(and(eq(events.organizationId, f.organization.id), eq(events.type, "job.queued")));
    expect(queuedEvents.map((e) => (e.data as { id: string }).id).sort()).toEqual([...ids].sort());
    // Each event carries the job as its answer showed it.
    const answered = new Map(queued.map((a) => [a.body.data!.id, a.body.data]));
    for (const e of queuedEvents) {
      const data = e.data as { id: string };
      expect(data).toEqual(answered.get(data.id));
    }
    // The foreign organization got nothing.
    const foreign = await services.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.organizationId, other.organization.id));
    expect(foreign).toEqual([]);
  });
});

describe("GroupCommit", () => {
  it("batches what comes while a batch is written, and retries a failed batch one item at a time", async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, string>(async (items) => {
      batches.push([...items]);
      await new Promise((r) => setTimeout(r, 5));
      if (items.includes(3)) throw new Error("bad item");
      return items.map((i) => (i === 5 ? new Error("five") : `ok ${i}`));
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => commit.submit("k", i)));
    expect(
      results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
    ).toEqual(["ok 1", "ok 2", "bad item", "ok 4", "five", "ok 6"]);
    // The first alone, the rest together, which failed and were each written again.
    expect(batches).toEqual([[1], [2, 3, 4, 5, 6], [2], [3], [4], [5], [6]]);
    // Keys are independent: another key's item does not wait for this one's batch.
    expect(await commit.submit("other", 7)).toBe("ok 7");
  });
});
