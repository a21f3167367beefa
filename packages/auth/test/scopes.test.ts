import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  ALL_READ_SCOPES,
  describeScope,
  isScope,
  SCOPE_REGISTRY,
  SCOPES,
  type Scope,
  scopeForRoute,
} from "../src/index.ts";

describe("scopes", () => {
  it("lists the three read scopes of tokens.md and the control scopes of control.md", () => {
    expect([...SCOPES].sort()).toEqual([
      "control",
      "inventory:read",
      "jobs:read",
      "printers:control",
      "printers:read",
    ]);
    expect([...ALL_READ_SCOPES].sort()).toEqual(["inventory:read", "jobs:read", "printers:read"]);
    expectTypeOf<Scope>().toEqualTypeOf<
      "printers:read" | "jobs:read" | "inventory:read" | "printers:control" | "control"
    >();
  });

  it("works as a zod enum that refuses unknown scopes", () => {
    const schema = z.array(z.enum(SCOPES)).nonempty();
    expect(schema.safeParse(["jobs:read"]).success).toBe(true);
    expect(schema.safeParse(["jobs:write"]).success).toBe(false);
    expect(schema.safeParse([]).success).toBe(false);
  });

  it("has one registry entry per scope, named after its key, with a description", () => {
    expect(Object.keys(SCOPE_REGISTRY).sort()).toEqual([...SCOPES].sort());
    for (const scope of SCOPES) {
      expect(SCOPE_REGISTRY[scope].name).toBe(scope);
      expect(describeScope(scope).length).toBeGreaterThan(10);
      expect(SCOPE_REGISTRY[scope].routes.length).toBeGreaterThan(0);
    }
  });

  it("maps each public route to the scope of public-api.md", () => {
    const expected: Array<[string, Scope]> = [
      ["/public/v1/printers", "printers:read"],
      ["/public/v1/printers/{id}", "printers:read"],
      ["/public/v1/jobs", "jobs:read"],
      ["/public/v1/jobs/{id}", "jobs:read"],
      ["/public/v1/inventory", "inventory:read"],
      ["/public/v1/inventory/{id}", "inventory:read"],
      ["/public/v1/materials/filament", "inventory:read"],
      ["/public/v1/materials/filament/{id}", "inventory:read"],
      ["/public/v1/commands/{id}", "printers:read"],
    ];
    for (const [path, scope] of expected) expect(scopeForRoute("get", path)).toBe(scope);
    const reads = ALL_READ_SCOPES.flatMap((s) => SCOPE_REGISTRY[s].routes.map((r) => r.path));
    expect(reads.sort()).toEqual(expected.map(([p]) => p).sort());
  });

  it("maps the control route to printers:control, the narrowest scope that grants it", () => {
    expect(scopeForRoute("POST", "/public/v1/printers/{id}/control")).toBe("printers:control");
    expect(SCOPE_REGISTRY.control.routes).toEqual(SCOPE_REGISTRY["printers:control"].routes);
  });

  it("guards /me and writes with no scope", () => {
    expect(scopeForRoute("GET", "/public/v1/me")).toBeUndefined();
    expect(scopeForRoute("POST", "/public/v1/printers")).toBeUndefined();
  });

  it("recognises scope names and nothing else", () => {
    for (const scope of SCOPES) expect(isScope(scope)).toBe(true);
    for (const x of ["printers:write", "PRINTERS:READ", "", null, 1, ["jobs:read"]]) {
      expect(isScope(x)).toBe(false);
    }
  });
});
