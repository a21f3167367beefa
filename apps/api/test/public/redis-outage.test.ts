import { mintToken } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { PrivateRedis, redisServerMissing } from "../support/private-redis.ts";
import type { TestServices } from "../support/services.ts";
import { body, call, publicTestServices, type TestApp, tenant } from "./helpers.ts";

describe.skipIf(redisServerMissing)("the public API while Redis goes down", () => {
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

  async function expectServed(path = "/public/v1/printers") {
    const res = await call(app, path, { key });
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
    expect((await body(unknown)).code).toBe("TOKEN_INVALID");

    await redis.start();
    await vi.waitFor(() => expect(services.redis!.status).toBe("ready"), { timeout: 15_000 });
    // The restarted server is empty (no persistence): keys appearing in it prove the limiter is
    // counting in Redis again rather than in the fallback.
    expect(await limiterKeys()).toHaveLength(0);
    for (let i = 0; i < 3; i++) await expectServed();
    expect(await limiterKeys()).not.toHaveLength(0);
  });
});
