import { mintToken } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { REDIS_COMMAND_TIMEOUT_MS } from "../../src/platform/build.ts";
import { PrivateRedis, redisServerMissing } from "../support/private-redis.ts";
import type { TestServices } from "../support/services.ts";
import { call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";

describe.skipIf(redisServerMissing)("the public API while Redis goes down or hangs", () => {
  let redis: PrivateRedis;
  let services: TestServices;
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    // A redis-server of this test's own (--save "" --appendonly no), so stopping it harms no one.
    redis = await PrivateRedis.start();
    services = await publicTestServices({ redisUrl: redis.url, redisPrefix: "apf-outage" });
    app = createApp(services);
    key = (await tenant(services.db)).key;
  });
  afterAll(async () => {
    await services.close();
    await redis.stop();
  });

  async function expectServed(path = "/public/v1/printers", as = key) {
    const res = await call(app, path, { key: as });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-limit")).toBe("120");
    expect(res.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    expect(res.headers.get("x-ratelimit-reset")).toMatch(/^\d+$/);
    return res;
  }

  async function limiterKeys(): Promise<string[]> {
    return services.redis!.keys("apf-outage:*");
  }

  it("keeps answering while Redis is down and goes back to Redis by itself", async () => {
    expect(services.redis).not.toBeNull();
    await expectServed();
    expect(await limiterKeys()).not.toHaveLength(0);

    await redis.stop();
    await vi.waitFor(() => expect(services.redis!.status).not.toBe("ready"), { timeout: 10_000 });
    for (let i = 0; i < 5; i++) await expectServed();
    await expectServed("/public/v1/me");
    // Failed authentications are still answered (and counted in memory), not turned into 500s.
    const unknown = await call(app, "/public/v1/me", { key: mintToken("live").token });
    expect(unknown.status).toBe(401);
    expect((await failure(unknown)).code).toBe("TOKEN_INVALID");

    await redis.start();
    await vi.waitFor(() => expect(services.redis!.status).toBe("ready"), { timeout: 15_000 });
    // The restarted server is empty (no persistence): keys appearing in it prove the limiter is
    // counting in Redis again rather than in the fallback.
    expect(await limiterKeys()).toHaveLength(0);
    for (let i = 0; i < 3; i++) await expectServed();
    expect(await limiterKeys()).not.toHaveLength(0);
  });

  /** Status and duration (ms) of one request. */
  async function timedCall(as: string) {
    const started = performance.now();
    const res = await call(app, "/public/v1/printers", { key: as });
    return { status: res.status, ms: performance.now() - started };
  }

  it("keeps answering under load while Redis dies, with no request waiting a second on it, and /readyz says so", async () => {
    // A key of its own: the load stays inside its budget of 120 a minute.
    const own = (await tenant(services.db, "Loaded")).key;
    const load = async (rounds: number) => {
      const results: { status: number; ms: number }[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < rounds; i++) results.push(await timedCall(own));
        }),
      );
      return results;
    };
    const during = load(6);
    await redis.stop();
    const results = [...(await during), ...(await load(3))];
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(503);
    expect((await ready.json()).checks.redis.status).toBe("down");

    await redis.start();
    await vi.waitFor(() => expect(services.redis!.status).toBe("ready"), { timeout: 15_000 });
    expect((await app.request("/readyz")).status).toBe(200);
  });

  it("waits at most REDIS_COMMAND_TIMEOUT_MS (under a second) on a command, and never queues one while disconnected", () => {
    expect(REDIS_COMMAND_TIMEOUT_MS).toBeLessThan(1000);
    expect(services.redis!.options).toMatchObject({
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
  });

  it("keeps answering while Redis hangs (accepts, never answers), and comes back to it", async () => {
    const own = (await tenant(services.db, "Hung")).key;
    await expectServed(undefined, own);
    redis.pause();
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => timedCall(own)));
      // Without a command timeout these would wait on the frozen server for ever (and the test
      // would time out); the bound itself is the client's, checked below, since wall-clock times
      // on a shared machine say little.
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      const ready = await app.request("/readyz");
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks.redis.status).toBe("down");
    } finally {
      redis.resume();
    }
    await vi.waitFor(
      async () => {
        await expectServed(undefined, own);
        expect(await limiterKeys()).not.toHaveLength(0);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect((await app.request("/readyz")).status).toBe(200);
  });
});
