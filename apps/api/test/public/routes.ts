import type { Scope } from "@apf/auth";

/** Every protected /public/v1 operation, with the resource its `{id}` stands for. */
export interface ProtectedRoute {
  path: string;
  scope: Scope | null;
  resource: "printer" | "job" | "sku" | "spool" | null;
  kind: "list" | "get" | "me";
}

export const PROTECTED_ROUTES: readonly ProtectedRoute[] = [
  { path: "/public/v1/printers", scope: "printers:read", resource: "printer", kind: "list" },
  { path: "/public/v1/printers/{id}", scope: "printers:read", resource: "printer", kind: "get" },
  { path: "/public/v1/jobs", scope: "jobs:read", resource: "job", kind: "list" },
  { path: "/public/v1/jobs/{id}", scope: "jobs:read", resource: "job", kind: "get" },
  { path: "/public/v1/inventory", scope: "inventory:read", resource: "sku", kind: "list" },
  { path: "/public/v1/inventory/{id}", scope: "inventory:read", resource: "sku", kind: "get" },
  {
    path: "/public/v1/materials/filament",
    scope: "inventory:read",
    resource: "spool",
    kind: "list",
  },
  {
    path: "/public/v1/materials/filament/{id}",
    scope: "inventory:read",
    resource: "spool",
    kind: "get",
  },
  { path: "/public/v1/me", scope: null, resource: null, kind: "me" },
];

/** The control routes: their security cases are in test/control (they take a body or any of scopes). */
export const CONTROL_ROUTES = [
  "GET /public/v1/commands/{id}",
  "POST /public/v1/printers/{id}/control",
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
