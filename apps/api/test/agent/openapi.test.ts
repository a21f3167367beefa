import SwaggerParser from "@apidevtools/swagger-parser";
import type { ResponseObject, SchemaObject } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
  type OpenAPI3,
  openApiDocument,
  operationAt,
  operations,
} from "../public/openapi-document.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let document: OpenAPI3;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  app = createApp(services);
  const res = await app.request("/agent/v1/openapi.json");
  expect(res.status).toBe(200);
  document = await openApiDocument(res);
});
afterAll(() => services.close());

describe("the agent's OpenAPI description at /agent/v1/openapi.json", () => {
  it("is served without a token and is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([expect.objectContaining({ url: "/agent/v1" })]);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("documents every /agent/v1 route the app serves, with the agent-token security", () => {
    const served = app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/agent/v1/"))
      .map((r) => `${r.method} ${r.path.replace("/agent/v1", "").replace(/:([^/]+)/g, "{$1}")}`)
      .filter((r) => r !== "GET /openapi.json");
    const documented = operations(document).map(
      ({ method, path }) => `${method.toUpperCase()} ${path}`,
    );
    expect(documented.filter((r) => r !== "GET /openapi.json").sort()).toEqual(
      [...new Set(served)].sort(),
    );
    expect(operationAt(document, "/reports", "POST").security).toEqual([{ agentToken: [] }]);
    expect(operationAt(document, "/openapi.json").security).toEqual([]);
  });

  it("describes path and machine_index on the 400 of a report", async () => {
    // Dereferenced: no $ref is left, so every node below is the object itself.
    const resolved = (await SwaggerParser.dereference(
      structuredClone(document) as never,
    )) as unknown as OpenAPI3;
    const response = operationAt(resolved, "/reports", "POST").responses?.["400"] as ResponseObject;
    const schema = response.content?.["application/json"]?.schema as SchemaObject;
    // An extended schema may come as allOf [envelope, extension]: read the parts together.
    const parts = [schema, ...((schema.allOf ?? []) as SchemaObject[])];
    const required = parts.flatMap((p) => p.required ?? []);
    const properties: Record<string, SchemaObject> = Object.assign(
      {},
      ...parts.map((p) => (p as { properties?: object }).properties ?? {}),
    );
    expect(required).toEqual(expect.arrayContaining(["code", "path", "machine_index"]));
    expect(properties.path?.type).toBe("string");
    expect(properties.machine_index?.type).toEqual(["integer", "null"]);
  });
});
