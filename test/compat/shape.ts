import { expect } from "vitest";
import { isJsonObject } from "../../apps/api/test/public/fixtures.ts";

/**
 * Asserts that `actual` carries every field of AutoPrintFarm's `documented` shape with a value of
 * the documented type: a documented string is a string or null (AutoPrintFarm's placeholders do
 * not say which are nullable), a number a number or null, a boolean a boolean, arrays and objects
 * recursively. Extra fields of ours are allowed.
 */
export function expectDocumentedShape(actual: unknown, documented: unknown, path = "data"): void {
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const [first] = documented;
    if (first === undefined || !Array.isArray(actual)) return;
    for (const [i, a] of actual.entries()) {
      expectDocumentedShape(a, first, `${path}.${i}`);
    }
    return;
  }
  if (documented !== null && typeof documented === "object") {
    expect(isJsonObject(actual), `${path} is an object`).toBe(true);
    if (!isJsonObject(actual)) return;
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
export function expectEnvelope(body: unknown, kind: "item" | "list" | "paged") {
  expect(isJsonObject(body), "the body is an object").toBe(true);
  if (!isJsonObject(body)) return;
  expect(body.success).toBe(true);
  const keys = Object.keys(body).sort();
  if (kind === "paged") {
    expect(keys).toEqual(["data", "meta", "success"]);
    const meta = isJsonObject(body.meta) ? body.meta : {};
    expect(Object.keys(meta).sort()).toEqual(["count", "limit", "offset"]);
    for (const v of Object.values(meta)) expect(Number.isInteger(v)).toBe(true);
  } else {
    expect(keys).toEqual(["data", "success"]);
  }
  expect(Array.isArray(body.data)).toBe(kind !== "item");
}
