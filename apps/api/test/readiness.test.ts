import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { PrivateRedis, redisServerMissing } from "./support/private-redis.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

describe.skipIf(redisServerMissing)("with a redis-server of the test's own", () => {
  let redis: PrivateRedis;
  let services: TestServices;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    services = await createTestServices({ redisUrl: redis.url });
    app = createApp(services);
  });
  afterAll(async () => {
    await services.close();
    await redis.stop();
  });

  async function readyz() {
    const res = await app.request("/readyz");
    return { status: res.status, body: await res.json() };
  }

  describe("/readyz with Redis configured", () => {
    it("reports both dependencies up", async () => {
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body.checks).toEqual({
        database: { status: "up", kind: services.dbKind },
        redis: { status: "up" },
      });
    });

    it("answers 503 naming Redis while it is stopped, then recovers by itself", async () => {
      await redis.stop();
      const down = await readyz();
      expect(down.status).toBe(503);
      expect(down.body.status).toBe("unavailable");
      expect(down.body.checks.redis.status).toBe("down");
      expect(down.body.checks.database.status).toBe("up");

      await redis.start();
      await expect
        .poll(readyz, { timeout: 10_000, interval: 100 })
        .toMatchObject({ status: 200, body: { checks: { redis: { status: "up" } } } });
    });
  });
});
