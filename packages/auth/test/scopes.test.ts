import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  ALL_READ_SCOPES,
  BROAD_SCOPES,
  describeScope,
  holdsScope,
  isScope,
  SCOPE_REGISTRY,
  SCOPES,
  type Scope,
  scopeForRoute,
} from "../src/index.ts";

describe("scopes", () => {
  it("lists the fine-grained scopes of public-api.md and AutoPrintFarm's three broad ones", () => {
    expect([...SCOPES].sort()).toEqual(
      [
        "analytics:read",
        "control",
        "events:read",
        "files:read",
        "files:write",
        "inventory:read",
        "inventory:write",
        "jobs:control",
        "jobs:read",
        "jobs:write",
        "printers:control",
        "printers:read",
        "printers:write",
        "read",
        "webhooks:read",
        "webhooks:write",
        "worklist:read",
        "worklist:write",
        "write",
      ].sort(),
    );
    expect([...BROAD_SCOPES]).toEqual(["read", "write", "control"]);
    expect([...ALL_READ_SCOPES].sort()).toEqual([
      "analytics:read",
      "events:read",
      "files:read",
      "inventory:read",
      "jobs:read",
      "printers:read",
      "webhooks:read",
      "worklist:read",
    ]);
    expectTypeOf<"read">().toMatchTypeOf<Scope>();
  });

  it("works as a zod enum that refuses unknown scopes", () => {
    const schema = z.array(z.enum(SCOPES)).nonempty();
    expect(schema.safeParse(["jobs:read"]).success).toBe(true);
    expect(schema.safeParse(["read", "write", "control"]).success).toBe(true);
    expect(schema.safeParse(["jobs:delete"]).success).toBe(false);
    expect(schema.safeParse([]).success).toBe(false);
  });

  it("has one registry entry per scope, named after its key, with a kind and a description", () => {
    expect(Object.keys(SCOPE_REGISTRY).sort()).toEqual([...SCOPES].sort());
    for (const scope of SCOPES) {
      expect(SCOPE_REGISTRY[scope].name).toBe(scope);
      expect(describeScope(scope).length).toBeGreaterThan(10);
      expect(["read", "write", "control"]).toContain(SCOPE_REGISTRY[scope].kind);
    }
    for (const scope of ["printers:read", "jobs:read", "inventory:read", "read"] as const) {
      expect(SCOPE_REGISTRY[scope].routes.every((r) => r.method === "GET")).toBe(true);
    }
    for (const scope of ["printers:write", "inventory:write", "write"] as const) {
      expect(SCOPE_REGISTRY[scope].routes.length).toBeGreaterThan(0);
      expect(SCOPE_REGISTRY[scope].routes.every((r) => r.method !== "GET")).toBe(true);
    }
  });

  it("gives each broad scope exactly the routes of the narrow scopes of its kind", () => {
    for (const broad of BROAD_SCOPES) {
      const narrow = SCOPES.filter(
        (s) => !SCOPE_REGISTRY[s].broad && SCOPE_REGISTRY[s].kind === broad,
      );
      expect(narrow.length).toBeGreaterThan(0);
      expect(SCOPE_REGISTRY[broad].routes).toEqual(narrow.flatMap((s) => SCOPE_REGISTRY[s].routes));
    }
  });

  it("maps each public route to the narrow scope of public-api.md", () => {
    const expected: Array<[string, string, Scope]> = [
      ["GET", "/public/v1/printers", "printers:read"],
      ["GET", "/public/v1/printers/{id}", "printers:read"],
      ["GET", "/public/v1/printers/{id}/status", "printers:read"],
      ["PUT", "/public/v1/printers/{id}/maintenance", "printers:write"],
      ["GET", "/public/v1/jobs", "jobs:read"],
      ["GET", "/public/v1/jobs/{id}", "jobs:read"],
      ["GET", "/public/v1/inventory", "inventory:read"],
      ["GET", "/public/v1/inventory/alerts", "inventory:read"],
      ["GET", "/public/v1/inventory/by-sku/{skuId}", "inventory:read"],
      ["GET", "/public/v1/inventory/{id}", "inventory:read"],
      ["PUT", "/public/v1/inventory/{id}/threshold", "inventory:write"],
      ["GET", "/public/v1/materials/filament", "inventory:read"],
      ["POST", "/public/v1/materials/filament", "inventory:write"],
      ["GET", "/public/v1/materials/filament/{id}", "inventory:read"],
      ["GET", "/public/v1/products", "inventory:read"],
      ["GET", "/public/v1/products/{id}", "inventory:read"],
      ["GET", "/public/v1/skus", "inventory:read"],
      ["GET", "/public/v1/skus/{id}", "inventory:read"],
      ["POST", "/public/v1/printers/{id}/control", "printers:control"],
      ["GET", "/public/v1/hubs", "printers:read"],
      ["GET", "/public/v1/hubs/{id}", "printers:read"],
      ["GET", "/public/v1/worklist", "worklist:read"],
      ["GET", "/public/v1/events", "events:read"],
      ["GET", "/public/v1/events/stream", "events:read"],
      ["GET", "/public/v1/webhook-endpoints", "webhooks:read"],
      ["POST", "/public/v1/webhook-endpoints", "webhooks:write"],
      ["GET", "/public/v1/webhook-endpoints/{id}", "webhooks:read"],
      ["GET", "/public/v1/webhook-endpoints/{id}/deliveries", "webhooks:read"],
      ["PATCH", "/public/v1/webhook-endpoints/{id}", "webhooks:write"],
      ["DELETE", "/public/v1/webhook-endpoints/{id}", "webhooks:write"],
      ["POST", "/public/v1/webhook-endpoints/{id}/roll-secret", "webhooks:write"],
      ["POST", "/public/v1/webhook-endpoints/{id}/test", "webhooks:write"],
      [
        "POST",
        "/public/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver",
        "webhooks:write",
      ],
      ["POST", "/public/v1/jobs", "jobs:write"],
      ["PATCH", "/public/v1/jobs/{id}", "jobs:write"],
      ["DELETE", "/public/v1/jobs/{id}", "jobs:write"],
      ["POST", "/public/v1/jobs/{id}/retry", "jobs:write"],
      ["POST", "/public/v1/worklist/{id}/complete", "worklist:write"],
      ["POST", "/public/v1/jobs/{id}/start", "jobs:control"],
      ["POST", "/public/v1/jobs/{id}/cancel", "jobs:control"],
      ["GET", "/public/v1/analytics/production", "analytics:read"],
      ["GET", "/public/v1/analytics/printers", "analytics:read"],
      ["GET", "/public/v1/analytics/failures", "analytics:read"],
      ["GET", "/public/v1/analytics/inventory", "analytics:read"],
      ["GET", "/public/v1/analytics/overview", "analytics:read"],
      // Also granted by printers:control (the route accepts either).
      ["GET", "/public/v1/commands/{id}", "printers:read"],
      ["POST", "/public/v1/files/upload-url", "files:write"],
      ["POST", "/public/v1/files", "files:write"],
      ["DELETE", "/public/v1/files/{id}", "files:write"],
      ["GET", "/public/v1/files", "files:read"],
      ["GET", "/public/v1/files/{id}", "files:read"],
      ["GET", "/public/v1/files/{id}/thumbnail", "files:read"],
    ];
    for (const [method, path, scope] of expected) {
      expect(scopeForRoute(method.toLowerCase(), path)).toBe(scope);
    }
    const all = SCOPES.filter((s) => !SCOPE_REGISTRY[s].broad).flatMap((s) =>
      SCOPE_REGISTRY[s].routes.map((r) => `${r.method} ${r.path}`),
    );
    expect(all.sort()).toEqual(expected.map(([m, p]) => `${m} ${p}`).sort());
  });

  it("guards /me, unknown writes and what apf does not manage with no scope", () => {
    expect(scopeForRoute("GET", "/public/v1/me")).toBeUndefined();
    expect(scopeForRoute("GET", "/public/v1/orders")).toBeUndefined();
    expect(scopeForRoute("POST", "/public/v1/printers")).toBeUndefined();
    // The upload itself: its token is the credential, the key needs no scope.
    expect(scopeForRoute("PUT", "/public/v1/files/upload/{token}")).toBeUndefined();
    expect(scopeForRoute("GET", "/public/v1/printers/{id}/maintenance")).toBeUndefined();
  });

  it("grants a route to its narrow scope and to the broad scope of its kind, nothing else", () => {
    expect(holdsScope(["printers:read"], "printers:read")).toBe(true);
    expect(holdsScope(["read"], "printers:read")).toBe(true);
    expect(holdsScope(["read"], "inventory:read")).toBe(true);
    expect(holdsScope(["write"], "inventory:write")).toBe(true);
    expect(holdsScope(["control"], "printers:control")).toBe(true);
    expect(holdsScope(["read"], "printers:write")).toBe(false);
    expect(holdsScope(["write"], "printers:read")).toBe(false);
    expect(holdsScope(["write"], "printers:control")).toBe(false);
    expect(holdsScope(["control"], "printers:write")).toBe(false);
    expect(holdsScope(["printers:write"], "inventory:write")).toBe(false);
    expect(holdsScope(["printers:read"], "printers:write")).toBe(false);
    expect(holdsScope([], "jobs:read")).toBe(false);
  });

  it("recognises scope names and nothing else", () => {
    for (const scope of SCOPES) expect(isScope(scope)).toBe(true);
    for (const x of ["jobs:delete", "PRINTERS:READ", "READ", "", null, 1, ["jobs:read"]]) {
      expect(isScope(x)).toBe(false);
    }
  });
});
