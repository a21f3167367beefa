import { scopeForRoute } from "@apf/auth";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { TestServices } from "../support/services.ts";
import { body, type Json, publicTestServices, type TestApp } from "./helpers.ts";
import { PROTECTED_ROUTES, publicAppRoutes } from "./routes.ts";

let services: TestServices;
let app: TestApp;
let doc: Json;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const res = await app.request("/public/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = await body(res);
});
afterAll(() => services.close());

const operation = (path: string) => doc.paths[path]?.get;

describe("GET /public/v1/openapi.json", () => {
  it("is served without a key, readable from any origin", async () => {
    const res = await app.request("/public/v1/openapi.json", {
      headers: { Origin: "https://editor.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(doc.openapi).toBe("3.1.0");
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it("documents every /public/v1 route the app serves, and nothing else", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(publicAppRoutes(app.routes));
  });

  it.each(PROTECTED_ROUTES)("states $path's security, scope, parameters and errors", (route) => {
    const op = operation(route.path);
    expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
    expect(op.tags.length).toBeGreaterThan(0);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    const scope = scopeForRoute("GET", route.path) ?? null;
    expect(op["x-required-scope"] ?? null).toBe(scope);
    if (scope) expect(op.description).toContain(scope);
    const statuses = Object.keys(op.responses).sort();
    const expected = ["200", "401", "429", "500", "503"];
    if (scope) expected.push("403");
    if (route.kind === "get") expected.push("404");
    if (route.kind === "list") expected.push("400");
    expect(statuses).toEqual(expected.sort());
    expect(Object.keys(op.responses["200"].headers)).toEqual(
      expect.arrayContaining(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]),
    );
    if (route.kind === "get") {
      expect(op.parameters).toEqual([
        expect.objectContaining({ name: "id", in: "path", required: true }),
      ]);
    }
  });

  it("has unique operation ids", () => {
    const ids = Object.values(doc.paths).flatMap((item: Json) =>
      Object.values(item).map((op: Json) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("states every query parameter with its bounds", () => {
    const params = (path: string) =>
      Object.fromEntries(operation(path).parameters.map((p: Json) => [p.name, p.schema]));
    const printers = params("/public/v1/printers");
    expect(Object.keys(printers).sort()).toEqual(
      ["is_active", "limit", "location", "offset", "search", "status"].sort(),
    );
    expect(printers.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 500 });
    expect(printers.search).toMatchObject({ maxLength: 120, minLength: 1 });
    expect(printers.is_active.enum).toEqual(["true", "false"]);
    expect(printers.status.enum).toContain("offline");
    const jobs = params("/public/v1/jobs");
    expect(Object.keys(jobs).sort()).toEqual(["limit", "offset", "printer_id", "status"]);
    expect(jobs.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 50 });
    expect(jobs.offset).toMatchObject({ minimum: 0, default: 0 });
    const inventory = params("/public/v1/inventory");
    expect(Object.keys(inventory).sort()).toEqual(
      ["limit", "low_stock", "material", "offset", "sku", "status"].sort(),
    );
    expect(inventory.status.enum).toEqual(["in_stock", "low_stock", "out_of_stock"]);
  });

  it("shares error responses whose bodies list their codes", () => {
    const { responses, schemas, headers, securitySchemes } = doc.components;
    expect(securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(headers)).toEqual(
      expect.arrayContaining([
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "Retry-After",
      ]),
    );
    const codes = (name: string) => {
      const ref: string = responses[name].content["application/json"].schema.$ref;
      return schemas[ref.split("/").at(-1)!].properties.code.enum;
    };
    expect(codes("Unauthorized")).toEqual([
      "UNAUTHORIZED",
      "TOKEN_INVALID",
      "TOKEN_REVOKED",
      "TOKEN_EXPIRED",
    ]);
    expect(codes("Forbidden")).toEqual(["INSUFFICIENT_SCOPE"]);
    expect(codes("BadRequest")).toEqual(["INVALID_REQUEST"]);
    expect(codes("NotFound")).toEqual(["NOT_FOUND"]);
    expect(codes("TooManyRequests")).toEqual(["RATE_LIMITED"]);
    expect(codes("InternalError")).toEqual(["INTERNAL_ERROR"]);
    expect(codes("Unavailable")).toEqual(["UNAVAILABLE"]);
    expect(Object.keys(responses.TooManyRequests.headers)).toContain("Retry-After");
    expect(operation("/public/v1/printers").responses["401"]).toEqual({
      $ref: "#/components/responses/Unauthorized",
    });
  });

  it("describes items without any internal column", () => {
    const text = JSON.stringify(doc.components.schemas);
    expect(text).not.toMatch(/key_hash|unit_price|machine_id|organization_id|stock_counted_at/);
  });
});

describe("GET /docs", () => {
  it("renders the API reference from the document", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("/public/v1/openapi.json");
  });
});
