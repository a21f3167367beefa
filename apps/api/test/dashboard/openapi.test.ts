import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { type OpenAPI3, openApiDocument, operations } from "../public/openapi-document.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let document: OpenAPI3;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  const res = await createApp(services).request("/api/openapi.json");
  expect(res.status).toBe(200);
  document = await openApiDocument(res);
});
afterAll(async () => {
  await services.close();
});

describe("the dashboard's OpenAPI description at /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("gives every operation a unique operationId, the dashboard tag and its error responses", () => {
    const all = operations(document).map((o) => o.operation);
    expect(all.length).toBeGreaterThanOrEqual(30);
    const ids = all.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of all) {
      expect(operation.tags, operation.operationId).toEqual(["dashboard"]);
      expect(Object.keys(operation.responses ?? {}).some((s) => s.startsWith("4"))).toBe(true);
    }
  });
});
