import { mintToken } from "@apf/auth";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createApiKey } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { body, call, failure, publicTestServices, type TestApp, tenant } from "./helpers.ts";
import { openApiDocument, operationAt } from "./openapi-document.ts";
import { NOT_MANAGED_ROUTES } from "./routes.ts";

/*
 * Orders, customers and revenue: apf is the farm's backend, not its shop. Every method on every
 * path of those families answers 404 NOT_FOUND saying so, but only to a valid key: closed by
 * default like every other route.
 */
let services: TestServices;
let app: TestApp;
let key: string;
let narrowKey: string;
let revokedKey: string;
let expiredKey: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db, "Shopless farm");
  key = t.key;
  const org = t.organization.id;
  narrowKey = (await createApiKey(services.db, org, { scopes: ["printers:read"] })).key;
  const revoked = await createApiKey(services.db, org);
  await revokeApiKey(services.db, org, revoked.id, services.clock.now());
  revokedKey = revoked.key;
  expiredKey = (
    await createApiKey(services.db, org, {
      expiresAt: new Date(services.clock.now().getTime() - 1000),
    })
  ).key;
});
afterAll(() => services.close());

const FAMILIES = [
  ["/orders", "orders"],
  ["/customers", "customers"],
  ["/revenue", "revenue"],
  ["/analytics/revenue", "revenue"],
] as const;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const cases = FAMILIES.flatMap(([base, what]) =>
  [base, `${base}/`, `${base}/3f1c2b9e-8d4a-4c1e-9b7a-2f6d5e4c3b2a`, `${base}/stats/daily`].flatMap(
    (path) => METHODS.map((method) => ({ method, path: `/public/v1${path}`, what })),
  ),
);

function send(method: string, path: string, withKey?: string) {
  return call(app, path, {
    method,
    key: withKey,
    ...(method === "GET" || method === "DELETE" ? {} : { json: { items: [] } }),
  });
}

describe.each(cases)("$method $path", ({ method, path, what }) => {
  it("answers a valid key, of any scope, 404 NOT_FOUND saying apf does not manage it", async () => {
    for (const k of [key, narrowKey]) {
      const res = await send(method, path, k);
      expect(res.status).toBe(404);
      const json = await failure(res);
      expect(json).toMatchObject({ success: false, code: "NOT_FOUND" });
      expect(json.error).toContain(`apf does not manage ${what}`);
      expect(json.request_id).toBe(res.headers.get("x-request-id"));
      // The key was checked and its budget spent, as on every route.
      expect(res.headers.get("x-ratelimit-remaining")).not.toBeNull();
    }
  });

  it("answers UNAUTHORIZED without a credential", async () => {
    const res = await send(method, path);
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ success: false, code: "UNAUTHORIZED" });
  });
});

describe("closed by default", () => {
  it.each([
    ["a malformed key", () => `${key.slice(0, -1)}x`, "TOKEN_INVALID"],
    ["a key nobody minted", () => mintToken("live").token, "TOKEN_INVALID"],
    ["a revoked key", () => revokedKey, "TOKEN_REVOKED"],
    ["an expired key", () => expiredKey, "TOKEN_EXPIRED"],
  ])("answers %s with its 401", async (_, k, code) => {
    for (const path of ["/public/v1/orders", "/public/v1/customers/1/notes"]) {
      const res = await send("GET", path, k());
      expect(res.status).toBe(401);
      expect((await failure(res)).code).toBe(code);
    }
  });

  it("tells a mistyped path from a family apf does not manage", async () => {
    const res = await send("GET", "/public/v1/orderz", key);
    expect(res.status).toBe(404);
    expect((await failure(res)).error).not.toContain("does not manage");
  });
});

describe("the OpenAPI document", () => {
  it("lists each family by its GET, with the key's security, no scope and the 404", async () => {
    const doc = await openApiDocument(await app.request("/public/v1/openapi.json"));
    for (const route of NOT_MANAGED_ROUTES) {
      const [method, path] = route.split(" ") as [string, string];
      const op = operationAt(doc, path, method) as ReturnType<typeof operationAt> & {
        "x-required-scope"?: string;
      };
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op["x-required-scope"]).toBeUndefined();
      expect(op.description).toMatch(/does not manage .* every path under it/s);
      expect(Object.keys(op.responses ?? {}).sort()).toEqual(["401", "404", "429", "500", "503"]);
    }
  });
});
