import { printers } from "@apf/db";
import type { TestDatabase } from "@apf/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { machine, postReport, report } from "../agent/report-builder.ts";
import { createAgent } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import { TestClock, type TestServices } from "../support/services.ts";
import {
  answer,
  BEFORE_REVALIDATION,
  call,
  publicTestServices,
  type TestApp,
  tenant,
  twoInstances,
} from "./helpers.ts";

// Two instances on one database: what one writes, the other's cached list must show at once.
let shared: TestDatabase;
let two: TestServices;
let appOne: TestApp;
let appTwo: TestApp;
let close: () => Promise<void>;
const clock = new TestClock();

beforeAll(async () => {
  ({ shared, two, appOne, appTwo, close } = await twoInstances({ clock }));
});
afterAll(() => close());

async function list(app: TestApp, key: string, query = "") {
  const res = await call(app, `/public/v1/printers${query}`, { key });
  expect(res.status).toBe(200);
  return (await answer(res, "listPrinters")).data;
}

it("serves a report's state on another instance once it has the notification, and rebuilds only then", async () => {
  const t = await tenant(shared.db);
  const agent = await createAgent(shared.db, t.organization.id);
  const post = (bed: number) => {
    const m = machine({ machineId: "mk4", observedAt: clock.now() }) as ReturnType<
      typeof machine
    > & { octoprint: { printer: { temperature: { bed: { actual: number } } } } };
    m.octoprint.printer.temperature.bed.actual = bed;
    return postReport(appOne, agent.token, report([m]));
  };
  expect((await post(40)).status).toBe(202);
  // Once instance two has received what was committed before (it usually has by now).
  await two.orgChanges.sync();
  expect((await list(appTwo, t.key))[0]!.temperatures.bed!.actual).toBe(40);
  const { stats } = two.printerListCache;
  const misses = stats.misses;
  await list(appTwo, t.key);
  expect(stats.misses).toBe(misses);

  clock.advance(1000);
  expect((await post(55)).status).toBe(202);
  await two.orgChanges.sync();
  expect((await list(appTwo, t.key))[0]!.temperatures.bed!.actual).toBe(55);
  expect(stats.misses).toBe(misses + 1);
});

it("serves a change written outside the API once Postgres announces it (triggers NOTIFY)", async () => {
  const t = await tenant(shared.db);
  const printer = await createPrinter(shared.db, t.organization.id, {
    name: "before",
    lastSeenAt: clock.now(),
  });
  const names = async () => (await list(appOne, t.key)).map((p) => p.name);
  // Written before the first read: the notification may still be on its way, the build is not.
  expect(await names()).toEqual(["before"]);
  await shared.db.update(printers).set({ name: "after" }).where(eq(printers.id, printer.id));
  await expect.poll(names, BEFORE_REVALIDATION).toEqual(["after"]);
  await createPrinter(shared.db, t.organization.id, { name: "added", lastSeenAt: clock.now() });
  await expect.poll(names, BEFORE_REVALIDATION).toEqual(["added", "after"]);
  await shared.db.delete(printers).where(eq(printers.id, printer.id));
  await expect.poll(names, BEFORE_REVALIDATION).toEqual(["added"]);
});

it("reads the version from Postgres on every request while it is not listening", async () => {
  const alone = await publicTestServices({ database: shared, clock });
  const app = createApp(alone);
  try {
    const t = await tenant(shared.db);
    const printer = await createPrinter(shared.db, t.organization.id, {
      name: "before",
      lastSeenAt: clock.now(),
    });
    await alone.orgChanges.close();
    expect(alone.orgChanges.token(t.organization.id, ["printers"])).toBeNull();
    expect((await list(app, t.key)).map((p) => p.name)).toEqual(["before"]);
    await shared.db.update(printers).set({ name: "after" }).where(eq(printers.id, printer.id));
    // No notification can arrive: the very next read sees the change all the same.
    expect((await list(app, t.key)).map((p) => p.name)).toEqual(["after"]);
    const { stats } = alone.printerListCache;
    const misses = stats.misses;
    expect((await list(app, t.key)).map((p) => p.name)).toEqual(["after"]);
    expect(stats.misses).toBe(misses);
  } finally {
    await alone.close();
  }
});

it("reads a printer offline on the first read after it crosses the stale window, with no write", async () => {
  const t = await tenant(shared.db);
  await createPrinter(shared.db, t.organization.id, {
    name: "quiet",
    status: "printing",
    lastSeenAt: clock.now(),
  });
  expect((await list(appOne, t.key))[0]!.status).toBe("printing");
  clock.advance(60_000);
  expect((await list(appOne, t.key))[0]!.status).toBe("printing");
  clock.advance(1);
  expect((await list(appOne, t.key))[0]!.status).toBe("offline");
  expect((await list(appOne, t.key, "?status=offline")).map((p) => p.name)).toEqual(["quiet"]);
});

it("keeps one organization's list from another's", async () => {
  const a = await tenant(shared.db, "A");
  const b = await tenant(shared.db, "B");
  await createPrinter(shared.db, a.organization.id, { name: "a-only", lastSeenAt: clock.now() });
  await createPrinter(shared.db, b.organization.id, { name: "b-only", lastSeenAt: clock.now() });
  expect((await list(appOne, a.key)).map((p) => p.name)).toEqual(["a-only"]);
  expect((await list(appOne, b.key)).map((p) => p.name)).toEqual(["b-only"]);
});
