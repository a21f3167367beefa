/** Every API-key scope, usable as `z.enum(SCOPES)`. */
export const SCOPES = [
  "printers:read",
  "jobs:read",
  "inventory:read",
  "printers:control",
  "control",
] as const;

/** An API-key scope. */
export type Scope = (typeof SCOPES)[number];

/** A route of `/public/v1` a scope grants, with its path in OpenAPI template form. */
export interface ScopeRoute {
  method: "GET" | "POST";
  path: string;
}

/** What a scope is called, what it grants, and the routes that require it. */
export interface ScopeDefinition {
  name: Scope;
  description: string;
  routes: readonly ScopeRoute[];
}

const get = (path: string): ScopeRoute => ({ method: "GET", path });
const post = (path: string): ScopeRoute => ({ method: "POST", path });

/** The one registry of scopes, read by the API-key middleware and the OpenAPI document. */
export const SCOPE_REGISTRY: Readonly<Record<Scope, ScopeDefinition>> = {
  "printers:read": {
    name: "printers:read",
    description: "Read the organization's printers: state, temperatures, current job and progress.",
    routes: [
      get("/public/v1/printers"),
      get("/public/v1/printers/{id}"),
      get("/public/v1/commands/{id}"),
    ],
  },
  "jobs:read": {
    name: "jobs:read",
    description: "Read the organization's print jobs: queue, history, status and timings.",
    routes: [get("/public/v1/jobs"), get("/public/v1/jobs/{id}")],
  },
  "inventory:read": {
    name: "inventory:read",
    description: "Read the organization's finished-goods stock by SKU and its filament spools.",
    routes: [
      get("/public/v1/inventory"),
      get("/public/v1/inventory/{id}"),
      get("/public/v1/materials/filament"),
      get("/public/v1/materials/filament/{id}"),
    ],
  },
  "printers:control": {
    name: "printers:control",
    description:
      "Send physical commands to the organization's printers (pause, resume, stop, clear the bed) and read their outcome.",
    routes: [post("/public/v1/printers/{id}/control")],
  },
  control: {
    name: "control",
    description:
      "Every physical command (AutoPrintFarm's broad scope); today the same as `printers:control`.",
    routes: [post("/public/v1/printers/{id}/control")],
  },
};

/** The scopes that only read; a key minted with all of them sees everything and changes nothing. */
export const ALL_READ_SCOPES: readonly Scope[] = ["printers:read", "jobs:read", "inventory:read"];

/** Whether `x` is a known scope name. */
export function isScope(x: unknown): x is Scope {
  return typeof x === "string" && (SCOPES as readonly string[]).includes(x);
}

/** What `scope` grants, in one sentence. */
export function describeScope(scope: Scope): string {
  return SCOPE_REGISTRY[scope].description;
}

/**
 * The (narrowest) scope a route requires, from its method and OpenAPI path template
 * (`/public/v1/printers/{id}`), or `undefined` for a route no scope guards (such as `/me`).
 */
export function scopeForRoute(method: string, path: string): Scope | undefined {
  const upper = method.toUpperCase();
  return SCOPES.find((scope) =>
    SCOPE_REGISTRY[scope].routes.some((r) => r.method === upper && r.path === path),
  );
}
