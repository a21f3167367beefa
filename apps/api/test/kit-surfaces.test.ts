// The route kit, seen from each surface's clients: validation failures as data (`details`), and
// every JSON answer saying charset=utf-8.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { machine, report } from "./agent/report-builder.ts";
import { type ErrorAnswer, publicTestServices } from "./public/helpers.ts";
import { openApiDocument } from "./public/openapi-document.ts";
import { createSession } from "./support/dashboard-factories.ts";
import { createAgent, createApiKey, createOrganization } from "./support/factories.ts";
import type { TestServices } from "./support/services.ts";

const JSON_UTF8 = "application/json; charset=utf-8";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let key: string;
let session: string;
let agentToken: string;
let n = 0;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const { organization, owner } = await createOrganization(services.db, "Kit Farm");
  orgId = organization.id;
  key = (await createApiKey(services.db, orgId, { scopes: ["printers:read", "printers:control"] }))
    .key;
  session = await createSession(services, owner.id);
  agentToken = (await createAgent(services.db, orgId)).token;
});
afterAll(() => services.close());

/** A request with its own client address (failed-auth counts stay apart); JSON when `body`. */
async function request(
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  n += 1;
  const headers: Record<string, string> = { "x-forwarded-for": `10.9.0.${n}`, ...options.headers };
  if (options.auth) headers.authorization = `Bearer ${options.auth}`;
  const body =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(path, { method, headers, body });
  // Every answer here is a refusal: the error envelope, with the agent's path fields beside it.
  const json = (await res.json()) as Partial<ErrorAnswer> & Record<string, unknown>;
  return { status: res.status, type: res.headers.get("content-type"), json };
}

describe("INVALID_REQUEST names the offending fields as data, on every surface", () => {
  it("/public/v1: a query parameter, with the English sentence kept", async () => {
    const res = await request("GET", "/public/v1/printers?limit=0", { auth: key });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("INVALID_REQUEST");
    expect(res.json.error).toMatch(/^Invalid query parameter "limit": /);
    expect(res.json.details).toEqual([{ path: ["limit"], message: expect.any(String) }]);
  });

  it("/public/v1: a header", async () => {
    const res = await request("POST", `/public/v1/printers/${crypto.randomUUID()}/control`, {
      auth: key,
      body: { action: "pause" },
      headers: { "idempotency-key": "é" },
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([{ path: ["idempotency-key"], message: expect.any(String) }]);
  });

  it("/api: a body field inside a list, as keys and indexes", async () => {
    const res = await request("POST", `/api/orgs/${orgId}/api-keys`, {
      auth: session,
      body: { name: "Grafana", scopes: ["printers:read", "printers:fly"] },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^Invalid body field "scopes\.1": /);
    expect(res.json.details).toEqual([{ path: ["scopes", 1], message: expect.any(String) }]);
  });

  it("/api: a field a route refuses after the schema accepted it", async () => {
    const res = await request("POST", `/api/orgs/${orgId}/api-keys`, {
      auth: session,
      body: { name: "Old", scopes: ["read"], expires_at: "2001-01-01T00:00:00.000Z" },
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([{ path: ["expires_at"], message: "must be in the future." }]);
  });

  it("/agent/v1: a report's field, through the report's own validation", async () => {
    const now = new Date();
    const bad = { ...machine({ machineId: "b", observedAt: now }), observed_at: "yesterday" };
    const res = await request("POST", "/agent/v1/reports", {
      auth: agentToken,
      body: report([machine({ machineId: "a", observedAt: now }), bad]),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ path: "machines.1.observed_at", machine_index: 1 });
    expect(res.json.details).toEqual([
      { path: ["machines", 1, "observed_at"], message: expect.any(String) },
    ]);
  });

  it("carries an empty list when no field is to blame (a body that is not JSON)", async () => {
    const res = await request("POST", "/agent/v1/reports", { auth: agentToken, raw: "{" });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "INVALID_REQUEST", details: [] });
  });

  it("is documented in the error envelope of all three OpenAPI documents", async () => {
    for (const path of ["/public/v1/openapi.json", "/api/openapi.json", "/agent/v1/openapi.json"]) {
      const document = await openApiDocument(await app.request(path));
      expect(document.components?.schemas?.FieldIssue, path).toBeDefined();
      expect(JSON.stringify(document), path).toContain('"#/components/schemas/FieldIssue"');
    }
  });
});

describe("JSON answers say charset=utf-8 on every surface", () => {
  it.each([
    ["a /public/v1 answer", "GET", "/public/v1/me", () => key, 200],
    ["a /public/v1 refusal", "GET", "/public/v1/me", () => undefined, 401],
    ["an /api answer", "GET", "/api/me", () => session, 200],
    ["an /api refusal", "GET", "/api/me", () => undefined, 401],
    ["an /agent/v1 refusal", "GET", "/agent/v1/commands", () => undefined, 401],
    ["an unknown route", "GET", "/api/no-such-thing", () => session, 404],
  ])("%s", async (_name, method, path, auth, status) => {
    const res = await request(method, path, { auth: auth() });
    expect(res.status).toBe(status);
    expect(res.type).toBe(JSON_UTF8);
  });

  it("an /agent/v1 answer", async () => {
    const res = await request("POST", "/agent/v1/reports", {
      auth: agentToken,
      body: report([machine({ observedAt: new Date() })]),
    });
    expect(res.status).toBe(202);
    expect(res.type).toBe(JSON_UTF8);
  });

  it("tells a missing route from a missing record, as data (no_route)", async () => {
    const res = await request("GET", "/api/no-such-thing", { auth: session });
    expect(res.json).toMatchObject({ code: "NOT_FOUND", no_route: true });
  });
});
