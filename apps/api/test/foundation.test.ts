import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(async () => {
  await services.close();
});

describe("health", () => {
  it("answers /healthz while alive", async () => {
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("reports the database kind and each dependency on /readyz", async () => {
    const res = await app.request("/readyz");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ready");
    expect(body.checks.database).toEqual({ status: "up", kind: services.dbKind });
    expect(body.checks.redis.status).toBe(services.redis ? "up" : "not_configured");
  });

  it("answers 503 naming the database when it does not answer", async () => {
    const broken = createApp({ ...services, pingDb: () => Promise.reject(new Error("down")) });
    const res = await broken.request("/readyz");
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks.database.status).toBe("down");
  });
});

describe("errors and request ids", () => {
  it("answers unknown routes with the NOT_FOUND envelope and a request id", async () => {
    const res = await app.request("/nowhere");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await res.json();
    expect(body).toMatchObject({ success: false, code: "NOT_FOUND" });
    expect(body.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("echoes a sane incoming X-Request-Id and replaces a forged one", async () => {
    const sane = await app.request("/healthz", { headers: { "X-Request-Id": "abc-123" } });
    expect(sane.headers.get("x-request-id")).toBe("abc-123");
    const forged = await app.request("/healthz", { headers: { "X-Request-Id": "a\u0007b c" } });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers METHOD_NOT_ALLOWED with Allow for a known path and another method", async () => {
    const res = await app.request("/healthz", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    expect((await res.json()).code).toBe("METHOD_NOT_ALLOWED");
  });
});

describe("request bodies", () => {
  it("refuses a dashboard body over 64 KiB with 413 before reading it as JSON", async () => {
    const res = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@example.test", password: "x".repeat(70 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe("PAYLOAD_TOO_LARGE");
  });
});
