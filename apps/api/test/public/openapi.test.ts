import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { SCOPE_REGISTRY, SCOPES, scopeForRoute } from "@apf/auth";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { TestServices } from "../support/services.ts";
import { publicTestServices, type TestApp } from "./helpers.ts";
import {
  type OpenAPI3,
  openApiDocument,
  operationAt,
  operations,
  parametersOf,
  resolve,
  schemaOf,
} from "./openapi-document.ts";
import { PROTECTED_ROUTES, publicAppRoutes } from "./routes.ts";

let services: TestServices;
let app: TestApp;
let doc: OpenAPI3;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const res = await app.request("/public/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = await openApiDocument(res);
});
afterAll(() => services.close());

const operation = (path: string, method = "GET") => operationAt(doc, path, method);

/** Reads that answer If-None-Match with 304 (cachedJson). */
const CONDITIONAL_READS = ["/public/v1/printers", "/public/v1/jobs"];

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
    // (a copy: the parser dereferences in place)
    await expect(SwaggerParser.validate(JSON.parse(JSON.stringify(doc)))).resolves.toBeTruthy();
  });

  it("documents every /public/v1 route the app serves, and nothing else", () => {
    const documented = operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(documented.sort()).toEqual(publicAppRoutes(app.routes));
  });

  it.each(PROTECTED_ROUTES)(
    "states $method $path's security, scope, parameters and errors",
    (route) => {
      const op = operation(route.path, route.method);
      expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
      expect(op.tags?.length).toBeGreaterThan(0);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      const scope = scopeForRoute(route.method, route.path) ?? null;
      expect(op["x-required-scope"] ?? null).toBe(scope);
      if (scope) {
        expect(op.description).toContain(scope);
        expect(op["x-accepted-scopes"]).toEqual([scope, SCOPE_REGISTRY[scope].kind]);
      }
      const responses = op.responses ?? {};
      const statuses = Object.keys(responses).sort();
      const success = route.method === "POST" ? "201" : "200";
      const expected = [success, "401", "429", "500", "503"];
      if (scope) expected.push("403");
      if (route.kind === "get" || (route.kind === "write" && route.resource)) expected.push("404");
      const hasQuery = parametersOf(doc, op).some((p) => p.in === "query");
      if (hasQuery || route.kind === "write") expected.push("400");
      // Answered from cached bytes with an ETag per content coding (openapi/encoded-json.ts).
      if (CONDITIONAL_READS.includes(route.path)) expected.push("304");
      if (route.kind === "write") {
        expected.push("413", "415");
        const requestBody = resolve(doc, op.requestBody!);
        expect(requestBody).toMatchObject({ required: true });
        expect(Object.keys(requestBody.content)).toEqual(["application/json"]);
      }
      expect(statuses).toEqual(expected.sort());
      // Short lists without filters: the alerts, the hubs (a farm has a handful of agents).
      const unfiltered = ["/public/v1/inventory/alerts", "/public/v1/hubs"];
      if (route.kind === "list" && !unfiltered.includes(route.path)) {
        expect(hasQuery).toBe(true);
      }
      expect(Object.keys(resolve(doc, responses[success]!).headers ?? {})).toEqual(
        expect.arrayContaining(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]),
      );
      if (route.kind === "get" || (route.kind === "write" && route.resource)) {
        expect(op.parameters).toEqual([
          expect.objectContaining({
            name: route.path.includes("{skuId}") ? "skuId" : "id",
            in: "path",
            required: true,
          }),
        ]);
      }
    },
  );

  it("has unique operation ids", () => {
    const ids = operations(doc).map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("states every query parameter with its bounds", () => {
    const params = (path: string) =>
      Object.fromEntries(
        parametersOf(doc, operation(path)).map((p) => [p.name, schemaOf(doc, p)] as const),
      );
    const printers = params("/public/v1/printers");
    expect(Object.keys(printers).sort()).toEqual(
      ["is_active", "limit", "location", "offset", "search", "status"].sort(),
    );
    expect(printers.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 500 });
    expect(printers.search).toMatchObject({ maxLength: 120, minLength: 1 });
    expect(printers.is_active?.enum).toEqual(["true", "false"]);
    expect(printers.status?.enum).toContain("offline");
    const jobs = params("/public/v1/jobs");
    expect(Object.keys(jobs).sort()).toEqual(["limit", "offset", "printer_id", "status"]);
    expect(jobs.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 50 });
    expect(jobs.offset).toMatchObject({ minimum: 0, default: 0 });
    const inventory = params("/public/v1/inventory");
    expect(Object.keys(inventory).sort()).toEqual(
      ["limit", "low_stock", "material", "offset", "sku", "status"].sort(),
    );
    expect(inventory.status?.enum).toEqual([
      "in_stock",
      "low_stock",
      "out_of_stock",
      "needs_assembly",
    ]);
    expect(printers.status?.enum).toContain("maintenance");
    expect(jobs.status?.enum).toContain("processing");
    const filament = params("/public/v1/materials/filament");
    expect(Object.keys(filament).sort()).toEqual(
      ["color", "limit", "low_stock", "material_type", "offset"].sort(),
    );
    expect(filament.low_stock?.enum).toEqual(["true", "false"]);
  });

  it("shares error responses whose bodies list their codes", () => {
    const {
      responses = {},
      schemas = {},
      headers = {},
      securitySchemes = {},
    } = doc.components ?? {};
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
      const response = resolve(doc, responses[name]!);
      const media = response.content?.["application/json"];
      expect(media?.schema, name).toBeDefined();
      const schema = resolve(doc, media!.schema!);
      expect(schema).toBe(resolve(doc, schemas[`${name}Error`]!));
      const code = schema.type === "object" ? schema.properties?.code : undefined;
      return code && resolve(doc, code).enum;
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
    expect(Object.keys(resolve(doc, responses.TooManyRequests!).headers ?? {})).toContain(
      "Retry-After",
    );
    expect(operation("/public/v1/printers").responses?.["401"]).toEqual({
      $ref: "#/components/responses/Unauthorized",
    });
  });

  it("declares the WWW-Authenticate challenge on every 401 of every operation", () => {
    const challenged = operations(doc).flatMap(({ method, path, operation: op }) => {
      const unauthorized = op.responses?.["401"];
      if (!unauthorized) return [];
      const header = resolve(doc, unauthorized).headers?.["WWW-Authenticate"];
      const schema = header && resolve(doc, header).schema;
      const type = schema ? resolve(doc, schema).type : null;
      return [[`${method.toUpperCase()} ${path}`, type ?? null] as const];
    });
    expect(challenged.length).toBeGreaterThanOrEqual(PROTECTED_ROUTES.length);
    for (const [route, type] of challenged)
      expect({ route, type }).toEqual({ route, type: "string" });
  });

  it("names every scope, broad ones included, in its description", () => {
    for (const scope of SCOPES) expect(doc.info?.description).toContain(`\`${scope}\``);
  });

  it("describes items without any internal column", () => {
    // An event names its organization (events.md: the envelope carries organization_id).
    const { Event: _event, ...items } = doc.components?.schemas ?? {};
    const text = JSON.stringify(items);
    expect(text).not.toMatch(/key_hash|unit_price|machine_id|organization_id|stock_counted_at/);
  });
});

describe("GET /docs", () => {
  it("renders the API reference from the document", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const [init] = await Promise.all([(await app.request("/docs/init.js")).text()]);
    expect(init).toContain('"/public/v1/openapi.json"');
    expect(init).toContain("Scalar.createApiReference");
  });

  it("turns Scalar's Ask AI agent off, through an option the installed bundle reads", async () => {
    const init = await (await app.request("/docs/init.js")).text();
    const config = JSON.parse(init.match(/createApiReference\("#app", (\{.*\})\);/)![1]!);
    expect(config.agent).toEqual({ disabled: true });
    const bundle = await (await app.request("/docs/scalar.js")).text();
    expect(bundle).toContain("agent?.disabled");
  });

  it("references nothing outside this origin and runs no inline script", async () => {
    const html = await (await app.request("/docs")).text();
    expect(html).not.toMatch(/(?:src|href)\s*=\s*"(?:https?:)?\/\//i);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1]!.match(/src="([^"]+)"/)?.[1])).toEqual([
      "/docs/scalar.js",
      "/docs/init.js",
    ]);
    for (const m of scripts) expect(m[2]!.trim()).toBe("");
  });

  it("serves Scalar's browser bundle from the installed package", async () => {
    const res = await app.request("/docs/scalar.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    const script = await res.text();
    expect(script).toMatch(/@scalar\/api-reference \d+\.\d+\.\d+/);
    expect(script).toContain("createApiReference");
  });

  it("sends the bundle compressed to a client that accepts it, the same bytes once decoded", async () => {
    const plain = await app.request("/docs/scalar.js");
    const identity = Buffer.from(await plain.arrayBuffer());
    for (const [accept, coding, decode] of [
      ["br", "br", brotliDecompressSync],
      ["gzip, deflate", "gzip", gunzipSync],
    ] as const) {
      const res = await app.request("/docs/scalar.js", { headers: { "accept-encoding": accept } });
      expect(res.headers.get("content-encoding")).toBe(coding);
      expect(res.headers.get("vary")).toContain("Accept-Encoding");
      const sent = Buffer.from(await res.arrayBuffer());
      expect(sent.byteLength).toBeLessThan(identity.byteLength / 3);
      // Compared as buffers: a deep equality over 3.5 MB element by element takes minutes.
      expect(decode(sent).equals(identity), `${coding} decodes to the bundle`).toBe(true);
      const again = await app.request("/docs/scalar.js", {
        headers: { "accept-encoding": accept, "if-none-match": res.headers.get("etag")! },
      });
      expect(again.status).toBe(304);
    }
  });

  it.each(["/docs", "/docs/scalar.js", "/docs/init.js"])(
    "sends a Content-Security-Policy that allows scripts and connections only from self (%s)",
    async (path) => {
      const res = await app.request(path);
      const csp = Object.fromEntries(
        (res.headers.get("content-security-policy") ?? "")
          .split(";")
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      expect(csp["default-src"]).toEqual(["'self'"]);
      expect(csp["script-src"]).toEqual(["'self'"]);
      expect(csp["connect-src"]).toEqual(["'self'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      for (const values of Object.values(csp) as string[][]) {
        for (const v of values) expect(v).not.toMatch(/^(?:https?:|\*|'unsafe-eval')/);
      }
    },
  );
});
