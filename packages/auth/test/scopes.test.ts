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
  it("lists exactly the three read scopes of tokens.md", () => {
    expect([...SCOPES].sort()).toEqual(["inventory:read", "jobs:read", "printers:read"]);
    expect(ALL_READ_SCOPES).toEqual(SCOPES);
    expectTypeOf<Scope>().toEqualTypeOf<"printers:read" | "jobs:read" | "inventory:read">();
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
    ];
    for (const [path, scope] of expected) expect(scopeForRoute("get", path)).toBe(scope);
    const all = SCOPES.flatMap((s) => SCOPE_REGISTRY[s].routes.map((r) => r.path));
    expect(all.sort()).toEqual(expected.map(([p]) => p).sort());
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
