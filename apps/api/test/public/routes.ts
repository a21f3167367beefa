import type { NarrowScope } from "@apf/auth";

/** Every protected /public/v1 operation, with the resource its `{id}` stands for. */
export interface ProtectedRoute {
  method: "GET" | "POST" | "PUT";
  path: string;
  scope: NarrowScope | null;
  resource: "printer" | "job" | "inventory" | "spool" | "sku" | "product" | "hub" | null;
  /** list / get / me: reads; write: a data change (its body below). */
  kind: "list" | "get" | "me" | "write" | "report";
  body?: unknown;
}

export const PROTECTED_ROUTES: readonly ProtectedRoute[] = [
  {
    method: "GET",
    path: "/public/v1/printers",
    scope: "printers:read",
    resource: "printer",
    kind: "list",
  },
  {
    method: "GET",
    path: "/public/v1/printers/{id}",
    scope: "printers:read",
    resource: "printer",
    kind: "get",
  },
  {
    method: "GET",
    path: "/public/v1/printers/{id}/status",
    scope: "printers:read",
    resource: "printer",
    kind: "get",
  },
  {
    method: "PUT",
    path: "/public/v1/printers/{id}/maintenance",
    scope: "printers:write",
    resource: "printer",
    kind: "write",
    body: { in_maintenance: false },
  },
  { method: "GET", path: "/public/v1/jobs", scope: "jobs:read", resource: "job", kind: "list" },
  { method: "GET", path: "/public/v1/jobs/{id}", scope: "jobs:read", resource: "job", kind: "get" },
  {
    method: "GET",
    path: "/public/v1/inventory",
    scope: "inventory:read",
    resource: "inventory",
    kind: "list",
  },
  {
    method: "GET",
    path: "/public/v1/inventory/alerts",
    scope: "inventory:read",
    resource: "inventory",
    kind: "list",
  },
  {
    method: "GET",
    path: "/public/v1/inventory/by-sku/{skuId}",
    scope: "inventory:read",
    resource: "sku",
    kind: "get",
  },
  {
    method: "GET",
    path: "/public/v1/inventory/{id}",
    scope: "inventory:read",
    resource: "inventory",
    kind: "get",
  },
  {
    method: "PUT",
    path: "/public/v1/inventory/{id}/threshold",
    scope: "inventory:write",
    resource: "inventory",
    kind: "write",
    body: { low_stock_threshold: 5 },
  },
  {
    method: "GET",
    path: "/public/v1/materials/filament",
    scope: "inventory:read",
    resource: "spool",
    kind: "list",
  },
  {
    method: "POST",
    path: "/public/v1/materials/filament",
    scope: "inventory:write",
    resource: null,
    kind: "write",
    body: { type: "PETG", color: "Black" },
  },
  {
    method: "GET",
    path: "/public/v1/materials/filament/{id}",
    scope: "inventory:read",
    resource: "spool",
    kind: "get",
  },
  {
    method: "GET",
    path: "/public/v1/products",
    scope: "inventory:read",
    resource: "product",
    kind: "list",
  },
  {
    method: "GET",
    path: "/public/v1/products/{id}",
    scope: "inventory:read",
    resource: "product",
    kind: "get",
  },
  {
    method: "GET",
    path: "/public/v1/skus",
    scope: "inventory:read",
    resource: "sku",
    kind: "list",
  },
  {
    method: "GET",
    path: "/public/v1/skus/{id}",
    scope: "inventory:read",
    resource: "sku",
    kind: "get",
  },
  { method: "GET", path: "/public/v1/hubs", scope: "printers:read", resource: "hub", kind: "list" },
  {
    method: "GET",
    path: "/public/v1/hubs/{id}",
    scope: "printers:read",
    resource: "hub",
    kind: "get",
  },
  ...["production", "printers", "failures", "inventory", "overview"].map(
    (report): ProtectedRoute => ({
      method: "GET",
      path: `/public/v1/analytics/${report}`,
      scope: "analytics:read",
      resource: null,
      kind: "report",
    }),
  ),
  {
    method: "GET",
    path: "/public/v1/events",
    scope: "events:read",
    resource: null,
    kind: "report",
  },
  { method: "GET", path: "/public/v1/me", scope: null, resource: null, kind: "me" },
];

/** The webhook routes: their security cases are in test/webhooks/routes.test.ts. */
export const WEBHOOK_ROUTES = [
  "GET /public/v1/webhook-endpoints",
  "POST /public/v1/webhook-endpoints",
  "GET /public/v1/webhook-endpoints/{id}",
  "PATCH /public/v1/webhook-endpoints/{id}",
  "DELETE /public/v1/webhook-endpoints/{id}",
  "POST /public/v1/webhook-endpoints/{id}/roll-secret",
  "POST /public/v1/webhook-endpoints/{id}/test",
  "GET /public/v1/webhook-endpoints/{id}/deliveries",
  "POST /public/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver",
] as const;

/** The event stream: an answer that never ends; its security cases are in test/events. */
export const EVENT_STREAM_ROUTES = ["GET /public/v1/events/stream"] as const;

/** The control routes: their security cases are in test/control (they take a body or any of scopes). */
export const CONTROL_ROUTES = [
  "GET /public/v1/commands/{id}",
  "POST /public/v1/printers/{id}/control",
] as const;

/**
 * The print queue's routes: their answers depend on a job's state, so their security cases
 * (credentials, scopes, other tenants) are in test/queue/security.test.ts.
 */
export const QUEUE_ROUTES = [
  "POST /public/v1/jobs",
  "PATCH /public/v1/jobs/{id}",
  "DELETE /public/v1/jobs/{id}",
  "POST /public/v1/jobs/{id}/start",
  "POST /public/v1/jobs/{id}/cancel",
  "POST /public/v1/jobs/{id}/retry",
  "GET /public/v1/worklist",
  "POST /public/v1/worklist/{id}/complete",
] as const;

/**
 * What apf does not manage (orders, customers, revenue): every method on every path of these
 * families answers 404 NOT_FOUND once a key passed; test/public/not-managed.test.ts walks them.
 */
export const NOT_MANAGED_ROUTES = [
  "GET /public/v1/orders",
  "GET /public/v1/customers",
  "GET /public/v1/revenue",
  "GET /public/v1/analytics/revenue",
] as const;

/** The print-file routes: their security cases are in test/files (uploads take a token and bytes). */
export const FILE_ROUTES = [
  "POST /public/v1/files/upload-url",
  "PUT /public/v1/files/upload/{token}",
  "POST /public/v1/files",
  "GET /public/v1/files",
  "GET /public/v1/files/{id}",
  "DELETE /public/v1/files/{id}",
  "GET /public/v1/files/{id}/thumbnail",
] as const;

/** The app's routes under /public/v1 in OpenAPI template form, e.g. GET /public/v1/jobs/{id}. */
export function publicAppRoutes(routes: readonly { method: string; path: string }[]) {
  const seen = new Set<string>();
  for (const r of routes) {
    if (r.method === "ALL" || !r.path.startsWith("/public/v1/")) continue;
    seen.add(`${r.method} ${r.path.replace(/:([^/]+)/g, "{$1}")}`);
  }
  return [...seen].sort();
}
