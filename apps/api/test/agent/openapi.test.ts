import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, checked by the validator
let document: any;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  app = createApp(services);
  const res = await app.request("/agent/v1/openapi.json");
  expect(res.status).toBe(200);
  document = await res.json();
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
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((r) => r !== "GET /openapi.json").sort()).toEqual(
      [...new Set(served)].sort(),
    );
    expect(document.paths["/reports"].post.security).toEqual([{ agentToken: [] }]);
    expect(document.paths["/openapi.json"].get.security).toEqual([]);
  });

  it("describes path and machine_index on the 400 of a report", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a dereferenced OpenAPI document
    const resolved: any = await SwaggerParser.dereference(structuredClone(document) as never);
    const response = resolved.paths["/reports"].post.responses["400"];
    const schema = response.content["application/json"].schema;
    // An extended schema may come as allOf [envelope, extension]: read the parts together.
    const parts = [schema, ...(schema.allOf ?? [])];
    const required = parts.flatMap((p) => p.required ?? []);
    const properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
    expect(required).toEqual(expect.arrayContaining(["code", "path", "machine_index"]));
    expect(properties.path.type).toBe("string");
    expect(properties.machine_index.type).toEqual(["integer", "null"]);
  });
});
