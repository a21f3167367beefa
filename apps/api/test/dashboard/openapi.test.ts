import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { dashboardRoutes } from "../../src/routes/dashboard/index.ts";

describe("the dashboard's OpenAPI description", () => {
  const document = dashboardRoutes().getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "apf dashboard API", version: "1" },
    servers: [{ url: "/api" }],
  });

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
