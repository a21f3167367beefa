import { expect } from "vitest";
import type { Json } from "../../apps/api/test/public/helpers.ts";

/**
 * Asserts that `actual` carries every field of AutoPrintFarm's `documented` shape with a value of
 * the documented type: a documented string is a string or null (AutoPrintFarm's placeholders do
 * not say which are nullable), a number a number or null, a boolean a boolean, arrays and objects
 * recursively. Extra fields of ours are allowed.
 */
export function expectDocumentedShape(actual: Json, documented: Json, path = "data"): void {
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const [first] = documented;
    if (first === undefined) return;
    for (const [i, a] of (actual as Json[]).entries()) {
      expectDocumentedShape(a, first, `${path}.${i}`);
    }
    return;
  }
  if (documented !== null && typeof documented === "object") {
    expect(actual !== null && typeof actual === "object", `${path} is an object`).toBe(true);
    for (const [key, value] of Object.entries(documented)) {
      expect(actual, `${path} has ${key}`).toHaveProperty([key]);
      expectDocumentedShape(actual[key], value, `${path}.${key}`);
    }
    return;
  }
  const type = typeof documented;
  if (type === "boolean") {
    expect(typeof actual, `${path} is a boolean`).toBe("boolean");
    return;
  }
  expect(
    actual === null || typeof actual === type,
    `${path} is a ${type} or null, got ${JSON.stringify(actual)}`,
  ).toBe(true);
}

/** Asserts the success envelope: `{success: true, data}` plus `meta` exactly when expected. */
export function expectEnvelope(body: Json, kind: "item" | "list" | "paged") {
  expect(body.success).toBe(true);
  const keys = Object.keys(body).sort();
  if (kind === "paged") {
    expect(keys).toEqual(["data", "meta", "success"]);
    expect(Object.keys(body.meta).sort()).toEqual(["count", "limit", "offset"]);
    for (const v of Object.values(body.meta)) expect(Number.isInteger(v)).toBe(true);
  } else {
    expect(keys).toEqual(["data", "success"]);
  }
  expect(Array.isArray(body.data)).toBe(kind !== "item");
}
