import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../src/context.ts";
import { onError, sqlState } from "../src/errors.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

let services: TestServices;
beforeAll(async () => {
  services = await createTestServices({ redis: false });
});
afterAll(() => services.close());

/** A query error as drizzle throws it: its own wrapper around the driver's error. */
function queryError(code: string) {
  const driver = Object.assign(new Error("driver says no"), { code });
  return new Error("Failed query: insert into x values ($1)\nparams: secret", { cause: driver });
}

function appThrowing(error: Error) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("services", services);
    c.set("requestId", "req-1");
    await next();
  });
  app.get("/", () => {
    throw error;
  });
  app.onError(onError);
  return app;
}

describe("onError", () => {
  it("finds the SQLSTATE along the error's causes", () => {
    expect(sqlState(queryError("22021"))).toBe("22021");
    expect(sqlState(new Error("plain"))).toBeUndefined();
  });

  it.each([
    ["22021", 400, "INVALID_REQUEST"],
    ["22003", 400, "INVALID_REQUEST"],
    ["57P01", 503, "UNAVAILABLE"],
    ["08006", 503, "UNAVAILABLE"],
    ["42P01", 500, "INTERNAL_ERROR"],
  ])(
    "maps a database error with SQLSTATE %s to %i %s, showing nothing internal",
    async (code, status, name) => {
      const res = await appThrowing(queryError(code)).request("/");
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body).toMatchObject({ success: false, code: name, request_id: "req-1" });
      expect(JSON.stringify(body)).not.toMatch(/Failed query|params|secret|driver/);
    },
  );
});
