import { mintToken, SCOPE_REGISTRY, SCOPES, scopeForRoute } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { call, failure, publicTestServices, type TestApp, tenant } from "../public/helpers.ts";
import { openApiDocument, operationAt, resolve } from "../public/openapi-document.ts";
import { FILE_ROUTES } from "../public/routes.ts";
import { createApiKey } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { PRUSA_GCODE, put, uploadFile, uploadUrl } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let a: Awaited<ReturnType<typeof tenant>>;
let b: Awaited<ReturnType<typeof tenant>>;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  a = await tenant(services.db, "Farm A");
  b = await tenant(services.db, "Farm B");
});
afterAll(() => services.close());

interface Case {
  route: (typeof FILE_ROUTES)[number];
  /** A request that succeeds for `owner`'s key. */
  request: (owner: typeof a) => Promise<{ path: string; json?: unknown; bytes?: Uint8Array }>;
  success: number;
}

const CASES: Case[] = [
  {
    route: "POST /public/v1/files/upload-url",
    request: async () => ({ path: "/public/v1/files/upload-url", json: { filename: "x.gcode" } }),
    success: 201,
  },
  {
    route: "POST /public/v1/files",
    request: async (owner) => {
      const upload = await uploadUrl(app, owner.key);
      await put(app, upload.upload_url, owner.key, PRUSA_GCODE);
      return {
        path: "/public/v1/files",
        json: { name: crypto.randomUUID(), storage_key: upload.storage_key },
      };
    },
    success: 201,
  },
  {
    route: "GET /public/v1/files",
    request: async () => ({ path: "/public/v1/files" }),
    success: 200,
  },
  {
    route: "GET /public/v1/files/{id}",
    request: async (owner) => ({
      path: `/public/v1/files/${(await uploadFile(app, owner.key, crypto.randomUUID())).id}`,
    }),
    success: 200,
  },
  {
    route: "DELETE /public/v1/files/{id}",
    request: async (owner) => ({
      path: `/public/v1/files/${(await uploadFile(app, owner.key, crypto.randomUUID())).id}`,
    }),
    success: 200,
  },
  {
    route: "GET /public/v1/files/{id}/thumbnail",
    request: async (owner) => ({
      path: `/public/v1/files/${(await uploadFile(app, owner.key, crypto.randomUUID())).id}/thumbnail`,
    }),
    success: 200,
  },
];

const methodOf = (route: string) => route.split(" ")[0]!;

async function send(
  c: Case,
  key: string | undefined,
  request: Awaited<ReturnType<Case["request"]>>,
) {
  return call(app, request.path, { key, method: methodOf(c.route), json: request.json });
}

it("has a case for every file route but the upload itself (its token cases are in upload.test.ts)", () => {
  expect(CASES.map((c) => c.route).sort()).toEqual(
    FILE_ROUTES.filter((r) => r !== "PUT /public/v1/files/upload/{token}").sort(),
  );
});

describe.each(CASES)("$route", (c) => {
  const [method, path] = c.route.split(" ") as [string, string];
  const scope = scopeForRoute(method, path)!;

  it("answers the owner's key", async () => {
    const res = await send(c, a.key, await c.request(a));
    expect(res.status).toBe(c.success);
  });

  it("answers UNAUTHORIZED without a key and TOKEN_INVALID for an unknown one", async () => {
    const request = await c.request(a);
    expect((await failure(await send(c, undefined, request))).code).toBe("UNAUTHORIZED");
    expect((await failure(await send(c, mintToken("live").token, request))).code).toBe(
      "TOKEN_INVALID",
    );
  });

  it("answers INSUFFICIENT_SCOPE to a key without its scope, and a key with the broad one", async () => {
    const request = await c.request(a);
    const others = SCOPES.filter((s) => s !== scope && s !== SCOPE_REGISTRY[scope].kind);
    const narrow = await createApiKey(services.db, a.organization.id, { scopes: others });
    const refused = await send(c, narrow.key, request);
    expect(refused.status).toBe(403);
    expect((await failure(refused)).error).toBe(`API key missing required scope: ${scope}`);
    const broad = await createApiKey(services.db, a.organization.id, {
      scopes: [SCOPE_REGISTRY[scope].kind],
    });
    expect((await send(c, broad.key, request)).status).toBe(c.success);
  });

  it("shows another organization's key nothing of this one", async () => {
    const request = await c.request(a);
    const res = await send(c, b.key, request);
    if (c.route.includes("{id}")) {
      expect(res.status).toBe(404);
      expect((await failure(res)).code).toBe("NOT_FOUND");
    } else if (c.route === "POST /public/v1/files") {
      expect((await failure(res)).code).toBe("FILE_NOT_UPLOADED");
    } else {
      expect(res.status).toBe(c.success);
      expect(await res.text()).not.toContain(a.organization.id);
    }
  });
});

it("documents every file route in the public OpenAPI document, with its codes", async () => {
  const doc = await openApiDocument(await app.request("/public/v1/openapi.json"));
  for (const route of FILE_ROUTES) {
    const [method, path] = route.split(" ") as [string, string];
    expect(operationAt(doc, path, method).security).toEqual([{ bearerAuth: [] }]);
  }
  const upload = operationAt(doc, "/public/v1/files/upload/{token}", "PUT");
  expect(Object.keys(resolve(doc, upload.requestBody!).content)).toEqual([
    "application/octet-stream",
  ]);
  expect(JSON.stringify(upload.responses?.["413"])).toContain("FILE_TOO_LARGE");
  expect(Object.keys(upload.responses ?? {})).toEqual(
    expect.arrayContaining(["400", "401", "403", "411", "413"]),
  );
});
