import { mintToken, SCOPE_REGISTRY, SCOPES, scopeForRoute } from "@apf/auth";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent, createApiKey } from "../support/factories.ts";
import { createJob, createPrinter, createSku, createSpool } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import {
  asObject,
  asObjects,
  body,
  call,
  failure,
  publicTestServices,
  type TestApp,
  tenant,
} from "./helpers.ts";
import {
  CONTROL_ROUTES,
  EVENT_STREAM_ROUTES,
  FILE_ROUTES,
  NOT_MANAGED_ROUTES,
  PROTECTED_ROUTES,
  publicAppRoutes,
  QUEUE_ROUTES,
  WEBHOOK_ROUTES,
} from "./routes.ts";

let services: TestServices;
let app: TestApp;
type Tenant = Awaited<ReturnType<typeof seededTenant>>;
let a: Tenant;
let b: Tenant;
let revokedKey: string;
let expiredKey: string;

async function seededTenant(name: string) {
  const t = await tenant(services.db, name);
  const org = t.organization.id;
  const printer = await createPrinter(services.db, org, { lastSeenAt: services.clock.now() });
  const sku = await createSku(services.db, org, { readyStock: 2, lowStockThreshold: 5 });
  const job = await createJob(services.db, org, { printerId: printer.id, productSkuId: sku.id });
  const spool = await createSpool(services.db, org, { printerId: printer.id });
  const hub = await createAgent(services.db, org);
  return {
    ...t,
    ids: {
      printer: printer.id,
      job: job.id,
      sku: sku.id,
      product: sku.productId,
      inventory: sku.inventoryId,
      spool: spool.id,
      hub: hub.id,
    },
  };
}

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  a = await seededTenant("Farm A");
  b = await seededTenant("Farm B");
  const revoked = await createApiKey(services.db, a.organization.id);
  await revokeApiKey(services.db, a.organization.id, revoked.id, services.clock.now());
  revokedKey = revoked.key;
  const expired = await createApiKey(services.db, a.organization.id, {
    expiresAt: new Date(services.clock.now().getTime() - 1000),
  });
  expiredKey = expired.key;
});
afterAll(() => services.close());

function urlFor(path: string, owner: Tenant, resource: keyof Tenant["ids"] | null) {
  return resource ? path.replace(/\{(id|skuId)\}/, owner.ids[resource]) : path;
}

it("covers every protected route the app registers, with the registry's scopes", () => {
  const covered = PROTECTED_ROUTES.map((r) => `${r.method} ${r.path}`);
  // Open on purpose: the OpenAPI document, and GitHub's reports (signed by GitHub, not a key).
  // The control and queue routes have their own security cases (test/control, test/queue), and
  // so do the families apf does not manage (not-managed.test.ts).
  const open = ["GET /public/v1/openapi.json", "POST /public/v1/secret-scanning/github"];
  const registered = publicAppRoutes(app.routes).filter(
    (r) =>
      !open.includes(r) &&
      !(CONTROL_ROUTES as readonly string[]).includes(r) &&
      !(QUEUE_ROUTES as readonly string[]).includes(r) &&
      !(EVENT_STREAM_ROUTES as readonly string[]).includes(r) &&
      !(WEBHOOK_ROUTES as readonly string[]).includes(r) &&
      !(FILE_ROUTES as readonly string[]).includes(r) &&
      !(NOT_MANAGED_ROUTES as readonly string[]).includes(r),
  );
  expect(registered).toEqual([...covered].sort());
  for (const route of PROTECTED_ROUTES) {
    expect(scopeForRoute(route.method, route.path) ?? null).toBe(route.scope);
  }
});

describe.each(PROTECTED_ROUTES)("$method $path", (route) => {
  const url = () => urlFor(route.path, a, route.resource);
  const send = (options: { key?: string } = {}) =>
    call(app, url(), { ...options, method: route.method, json: route.body });

  it("answers the owner's key with its data", async () => {
    const res = await send({ key: a.key });
    expect(res.status).toBe(route.method === "POST" ? 201 : 200);
    // Every route of the table: the operation varies, so the body is narrowed as it is read.
    const json = asObject(await body(res), "the body");
    expect(json.success).toBe(true);
    if (route.kind === "list") {
      expect(asObjects(json.data).map((item) => item.id)).toContain(a.ids[route.resource!]);
      return;
    }
    if (route.kind === "report") {
      // Reports are objects of figures (test/public/analytics.test.ts checks every figure), the
      // event list a page of events (test/events).
      expect(json.data).toEqual(expect.any(Object));
      return;
    }
    const data = asObject(json.data, "data");
    if (route.kind === "write" && route.resource === null) {
      expect(data.id).toMatch(/^[0-9a-f-]{36}$/);
    } else if (route.kind === "get" || route.kind === "write") {
      const id = data.id ?? data.printer_id;
      // /inventory/by-sku/{skuId} answers the SKU's inventory item, whose id is its own.
      const byInventory = route.path.includes("/by-sku/");
      expect(id).toBe(byInventory ? a.ids.inventory : a.ids[route.resource!]);
    } else {
      expect(asObject(data.organization).id).toBe(a.organization.id);
    }
  });

  it("answers UNAUTHORIZED without a credential", async () => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ success: false, code: "UNAUTHORIZED" });
  });

  it("answers TOKEN_INVALID for a malformed key", async () => {
    const res = await send({ key: `${a.key.slice(0, -1)}x` });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("TOKEN_INVALID");
  });

  it("answers TOKEN_INVALID for a well-formed key nobody minted here", async () => {
    const res = await send({ key: mintToken("live").token });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("TOKEN_INVALID");
  });

  it("answers TOKEN_REVOKED for a revoked key", async () => {
    const res = await send({ key: revokedKey });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("TOKEN_REVOKED");
  });

  it("answers TOKEN_EXPIRED for an expired key", async () => {
    const res = await send({ key: expiredKey });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("TOKEN_EXPIRED");
  });

  it(
    route.scope
      ? "answers INSUFFICIENT_SCOPE naming the scope for a key without it"
      : "answers a key holding any single scope",
    async () => {
      // Every other scope, broad ones included, except the broad scope that grants this route.
      const broad = route.scope ? SCOPE_REGISTRY[route.scope].kind : null;
      const others = SCOPES.filter((s) => s !== route.scope && s !== broad);
      const key = await createApiKey(services.db, a.organization.id, { scopes: others });
      const res = await send({ key: key.key });
      const json = await failure(res);
      if (!route.scope) {
        expect(res.status).toBe(200);
        return;
      }
      expect(res.status).toBe(403);
      expect(json).toMatchObject({
        success: false,
        code: "INSUFFICIENT_SCOPE",
        error: `API key missing required scope: ${route.scope}`,
      });
      expect(json.request_id).toBe(res.headers.get("x-request-id"));
    },
  );

  if (route.scope) {
    const scope = route.scope;
    it(`answers a key holding only the broad \`${SCOPE_REGISTRY[scope].kind}\` scope`, async () => {
      const key = await createApiKey(services.db, a.organization.id, {
        scopes: [SCOPE_REGISTRY[scope].kind],
      });
      const res = await send({ key: key.key });
      expect(res.status).toBe(route.method === "POST" ? 201 : 200);
    });
  }

  it("shows another organization's key nothing of this one", async () => {
    const res = await send({ key: b.key });
    const json = asObject(await body(res), "the body");
    if (route.kind === "get" || (route.kind === "write" && route.resource !== null)) {
      expect(res.status).toBe(404);
      expect(json.code).toBe("NOT_FOUND");
      return;
    }
    expect(res.status).toBe(route.method === "POST" ? 201 : 200);
    const text = JSON.stringify(json);
    for (const id of Object.values(a.ids)) expect(text).not.toContain(id);
    expect(text).not.toContain(a.organization.id);
    if (route.kind === "list") {
      expect(asObjects(json.data).map((item) => item.id)).toContain(b.ids[route.resource!]);
    }
  });

  it("never echoes the key in an error", async () => {
    const res = await send({ key: revokedKey });
    expect(await res.text()).not.toContain(revokedKey);
  });
});
