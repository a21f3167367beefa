import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, checked by the validator
let document: any;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  const res = await createApp(services).request("/api/openapi.json");
  expect(res.status).toBe(200);
  document = await res.json();
});
afterAll(async () => {
  await services.close();
});

describe("the dashboard's OpenAPI description at /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("gives every operation a unique operationId, the dashboard tag and its error responses", () => {
    const operations = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(
        item as Record<string, { operationId?: string; tags?: string[]; responses?: object }>,
      ),
    );
    expect(operations.length).toBeGreaterThanOrEqual(30);
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      expect(operation.tags, operation.operationId).toEqual(["dashboard"]);
      expect(Object.keys(operation.responses ?? {}).some((s) => s.startsWith("4"))).toBe(true);
    }
  });
});
