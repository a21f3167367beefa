import { jobs, skus } from "@apf/db";
import type { TestDatabase } from "@apf/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { machine, postReport, report } from "../agent/report-builder.ts";
import { createAgent } from "../support/factories.ts";
import { createJob, createSku } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import {
  BEFORE_REVALIDATION,
  body,
  call,
  publicTestServices,
  type TestApp,
  tenant,
  twoInstances,
} from "./helpers.ts";

// Two instances on one database: a job list cached by one shows what the other wrote.
let shared: TestDatabase;
let two: TestServices;
let appOne: TestApp;
let appTwo: TestApp;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ shared, two, appOne, appTwo, close } = await twoInstances());
});
afterAll(() => close());

type Listed = { status: string; file_name: string | null; product_name: string | null };
async function list(app: TestApp, key: string, query = "") {
  const res = await call(app, `/public/v1/jobs${query}`, { key });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  return (await body(res)) as { data: Listed[]; meta: { count: number } };
}

it("serves a page from memory until the organization's jobs change, then the change", async () => {
  const t = await tenant(shared.db);
  const agent = await createAgent(shared.db, t.organization.id);
  const { stats } = two.jobsListCache;
  expect((await list(appTwo, t.key)).data).toEqual([]);
  const misses = stats.misses;
  const hits = stats.hits;
  expect((await list(appTwo, t.key)).data).toEqual([]);
  expect(stats.hits).toBe(hits + 1);
  expect(stats.misses).toBe(misses);

  // A print starts: the report goes to the other instance; Postgres announces the new job.
  const started = machine({
    machineId: "mk4",
    observedAt: new Date(),
    flags: { printing: true },
    file: "clip.gcode",
    completion: 5,
  });
  const res = await postReport(appOne, agent.token, report([started]));
  expect(res.status).toBe(202);
  await expect
    .poll(async () => (await list(appTwo, t.key)).data.map((j) => j.file_name), BEFORE_REVALIDATION)
    .toEqual(["clip.gcode"]);
  expect(stats.misses).toBeGreaterThan(misses);
});

it("shows a SKU's new product name on the jobs that print it (jobs read their SKU)", async () => {
  const t = await tenant(shared.db);
  const sku = await createSku(shared.db, t.organization.id, { productName: "Cable clip" });
  await createJob(shared.db, t.organization.id, { productSkuId: sku.id });
  const names = async () => (await list(appOne, t.key)).data.map((j) => j.product_name);
  expect(await names()).toEqual(["Cable clip"]);
  await shared.db.update(skus).set({ productName: "Cord clip" }).where(eq(skus.id, sku.id));
  await expect.poll(names, BEFORE_REVALIDATION).toEqual(["Cord clip"]);
});

it("keeps pages and filters apart, and organizations apart", async () => {
  const a = await tenant(shared.db, "A");
  const b = await tenant(shared.db, "B");
  await createJob(shared.db, a.organization.id, { status: "completed", fileName: "a1.gcode" });
  await createJob(shared.db, a.organization.id, { status: "failed", fileName: "a2.gcode" });
  await createJob(shared.db, b.organization.id, { status: "completed", fileName: "b1.gcode" });
  const files = async (key: string, query = "") =>
    (await list(appOne, key, query)).data.map((j) => j.file_name).sort();
  expect(await files(a.key)).toEqual(["a1.gcode", "a2.gcode"]);
  expect(await files(a.key, "?status=failed")).toEqual(["a2.gcode"]);
  expect(await files(a.key, "?limit=1&offset=5")).toEqual([]);
  expect(await files(b.key)).toEqual(["b1.gcode"]);
  expect(await files(b.key, "?status=failed")).toEqual([]);
  // Served again from memory: the same answers.
  expect(await files(a.key, "?status=failed")).toEqual(["a2.gcode"]);
  expect(await files(b.key)).toEqual(["b1.gcode"]);
});

it("reads Postgres on every request while it is not listening", async () => {
  const alone = await publicTestServices({ database: shared });
  const app = createApp(alone);
  try {
    const t = await tenant(shared.db);
    const job = await createJob(shared.db, t.organization.id, { status: "printing" });
    await alone.orgChanges.close();
    const statuses = async () => (await list(app, t.key)).data.map((j) => j.status);
    expect(await statuses()).toEqual(["printing"]);
    await shared.db.update(jobs).set({ status: "paused" }).where(eq(jobs.id, job.id));
    expect(await statuses()).toEqual(["paused"]);
  } finally {
    await alone.close();
  }
});
