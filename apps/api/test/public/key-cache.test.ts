import { revokeApiKey } from "@apf/db/queries/api-keys";
import type { TestDatabase } from "@apf/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createSession } from "../support/dashboard-factories.ts";
import { type TestServices, withPlatform } from "../support/services.ts";
import { answer, call, failure, type TestApp, tenant, twoInstances } from "./helpers.ts";

let shared: TestDatabase;
let one: TestServices;
let two: TestServices;
let appOne: TestApp;
let appTwo: TestApp;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ shared, one, two, appOne, appTwo, close } = await twoInstances());
});
afterAll(() => close());

it.runIf(process.env.APF_TEST_REDIS_URL)(
  "serves a verified key from process memory, and reloads it everywhere when its organization is renamed",
  async () => {
    const t = await tenant(shared.db, "Old Name");
    const { stats } = two.keyCache;
    const me = async () =>
      (await answer(await call(appTwo, "/public/v1/me", { key: t.key }), "getMe")).data;
    expect((await me()).organization.name).toBe("Old Name");
    const hits = stats.hits;
    expect((await me()).organization.name).toBe("Old Name");
    expect(stats.hits).toBe(hits + 1);

    const session = await createSession(one, t.owner.id);
    const rename = await appOne.request(`/api/orgs/${t.organization.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "New Name" }),
    });
    expect(rename.status).toBe(200);
    expect((await me()).organization.name).toBe("New Name");
  },
);

it("reads Postgres on every request while Redis is not ready, so a revoke there is seen at once", async () => {
  const broken = new Redis("redis://127.0.0.1:1", {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  broken.on("error", () => {});
  const down = withPlatform(one, { redis: broken });
  const app = createApp(down);
  try {
    const t = await tenant(shared.db);
    expect((await call(app, "/public/v1/me", { key: t.key })).status).toBe(200);
    expect(down.keyCache.stats.bypassed).toBeGreaterThanOrEqual(1);
    await revokeApiKey(shared.db, t.organization.id, t.keyRow.id, new Date());
    const res = await call(app, "/public/v1/me", { key: t.key });
    expect((await failure(res)).code).toBe("TOKEN_REVOKED");
  } finally {
    broken.disconnect();
  }
});
