import type { TestDatabase } from "@apf/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../support/factories.ts";
import { call, failure, type TestApp, tenant, twoInstances } from "./helpers.ts";

let shared: TestDatabase;
let appOne: TestApp;
let appTwo: TestApp;
let close: () => Promise<void>;
let org: string;

beforeAll(async () => {
  ({ shared, appOne, appTwo, close } = await twoInstances());
  org = (await tenant(shared.db)).organization.id;
});
afterAll(() => close());

function expectBudgetHeaders(res: Response, limit: number, remaining: number) {
  expect(res.headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(res.headers.get("x-ratelimit-remaining")).toBe(String(remaining));
  const reset = Number(res.headers.get("x-ratelimit-reset"));
  expect(Number.isInteger(reset)).toBe(true);
  const nowS = Math.floor(Date.now() / 1000);
  expect(reset).toBeGreaterThanOrEqual(nowS);
  expect(reset).toBeLessThanOrEqual(nowS + 61);
}

describe("X-RateLimit headers", () => {
  it("come with every authenticated answer: 200, 400, 403 and 404", async () => {
    const k = await createApiKey(shared.db, org, { scopes: ["jobs:read"] });
    expectBudgetHeaders(await call(appOne, "/public/v1/jobs", { key: k.key }), 120, 119);
    const bad = await call(appOne, "/public/v1/jobs?limit=0", { key: k.key });
    expect(bad.status).toBe(400);
    expectBudgetHeaders(bad, 120, 118);
    const forbidden = await call(appOne, "/public/v1/printers", { key: k.key });
    expect(forbidden.status).toBe(403);
    expectBudgetHeaders(forbidden, 120, 117);
    const missing = await call(appOne, "/public/v1/jobs/not-an-id", { key: k.key });
    expect(missing.status).toBe(404);
    expectBudgetHeaders(missing, 120, 116);
  });

  it("are absent from answers without a valid key", async () => {
    const res = await call(appOne, "/public/v1/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("x-ratelimit-limit")).toBeNull();
  });
});

describe("the per-key budget", () => {
  it("is 120 a minute by default, then RATE_LIMITED with Retry-After", async () => {
    const k = await createApiKey(shared.db, org);
    for (let i = 1; i <= 120; i++) {
      const res = await call(appOne, "/public/v1/me", { key: k.key });
      expect(res.status).toBe(200);
      if (i === 120) expectBudgetHeaders(res, 120, 0);
    }
    const limited = await call(appOne, "/public/v1/me", { key: k.key });
    expect(limited.status).toBe(429);
    const json = await failure(limited);
    expect(json).toMatchObject({ success: false, code: "RATE_LIMITED" });
    expect(json.request_id).toBe(limited.headers.get("x-request-id"));
    expect(limited.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expectBudgetHeaders(limited, 120, 0);
  });

  it("is the key's own rate_limit_per_minute when it has one", async () => {
    const k = await createApiKey(shared.db, org, { rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect((await call(appOne, "/public/v1/printers", { key: k.key })).status).toBe(200);
    }
    const limited = await call(appOne, "/public/v1/printers", { key: k.key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-limit")).toBe("3");
  });

  it("belongs to one key: another key of the same organization is unaffected", async () => {
    const spent = await createApiKey(shared.db, org, { rateLimitPerMinute: 1 });
    const other = await createApiKey(shared.db, org, { rateLimitPerMinute: 1 });
    await call(appOne, "/public/v1/me", { key: spent.key });
    expect((await call(appOne, "/public/v1/me", { key: spent.key })).status).toBe(429);
    expect((await call(appOne, "/public/v1/me", { key: other.key })).status).toBe(200);
  });

  it("answers INSUFFICIENT_SCOPE before RATE_LIMITED, as the contract orders the checks", async () => {
    const k = await createApiKey(shared.db, org, { scopes: ["jobs:read"], rateLimitPerMinute: 1 });
    expect((await call(appOne, "/public/v1/jobs", { key: k.key })).status).toBe(200);
    const res = await call(appOne, "/public/v1/printers", { key: k.key });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await call(appOne, "/public/v1/jobs", { key: k.key })).status).toBe(429);
  });

  it.runIf(process.env.APF_TEST_REDIS_URL)(
    "is shared by every API instance (one Redis)",
    async () => {
      const k = await createApiKey(shared.db, org, { rateLimitPerMinute: 4 });
      const apps = [appOne, appTwo, appOne, appTwo];
      for (const [i, app] of apps.entries()) {
        const res = await call(app, "/public/v1/me", { key: k.key });
        expect(res.status).toBe(200);
        expect(res.headers.get("x-ratelimit-remaining")).toBe(String(3 - i));
      }
      expect((await call(appTwo, "/public/v1/me", { key: k.key })).status).toBe(429);
      expect((await call(appOne, "/public/v1/me", { key: k.key })).status).toBe(429);
    },
  );
});
