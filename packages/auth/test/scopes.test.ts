import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { ALL_READ_SCOPES, isScope, SCOPE_REGISTRY, SCOPES, type Scope } from "../src/index.ts";

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
      expect(SCOPE_REGISTRY[scope].description.length).toBeGreaterThan(10);
    }
  });

  it("recognises scope names and nothing else", () => {
    for (const scope of SCOPES) expect(isScope(scope)).toBe(true);
    for (const x of ["printers:write", "PRINTERS:READ", "", null, 1, ["jobs:read"]]) {
      expect(isScope(x)).toBe(false);
    }
  });
});
