/**
 * Every API-key scope, usable as `z.enum(SCOPES)`: the fine-grained ones, then AutoPrintFarm's
 * three broad ones, each granting every route of its kind.
 */
export const SCOPES = [
  "printers:read",
  "jobs:read",
  "inventory:read",
  "files:read",
  "analytics:read",
  "worklist:read",
  "events:read",
  "webhooks:read",
  "printers:write",
  "inventory:write",
  "files:write",
  "jobs:write",
  "worklist:write",
  "webhooks:write",
  "printers:control",
  "jobs:control",
  "read",
  "write",
  "control",
] as const;

/** An API-key scope. */
export type Scope = (typeof SCOPES)[number];

/** What a scope lets a key do: read (GET), change data, or send physical commands. */
export type ScopeKind = "read" | "write" | "control";

/** The broad scopes, named after the kind of access they grant in full. */
export const BROAD_SCOPES = ["read", "write", "control"] as const satisfies readonly ScopeKind[];
export type BroadScope = (typeof BROAD_SCOPES)[number];
/** A fine-grained scope: one kind of access to one resource. */
export type NarrowScope = Exclude<Scope, BroadScope>;

/** A route of `/public/v1` a scope grants, with its path in OpenAPI template form. */
export interface ScopeRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
}

/** What a scope is called, what it grants, and the routes that require it. */
export interface ScopeDefinition {
  name: Scope;
  kind: ScopeKind;
  /** A broad scope grants every route of its kind; a narrow one only its own routes. */
  broad: boolean;
  description: string;
  /** The routes guarded by this scope (for a broad scope: every narrow route of its kind). */
  routes: readonly ScopeRoute[];
}

const get = (path: string): ScopeRoute => ({ method: "GET", path });
const put = (path: string): ScopeRoute => ({ method: "PUT", path });
const post = (path: string): ScopeRoute => ({ method: "POST", path });
const patch = (path: string): ScopeRoute => ({ method: "PATCH", path });
const del = (path: string): ScopeRoute => ({ method: "DELETE", path });

type NarrowDefinition = Omit<ScopeDefinition, "broad" | "name"> & { name: NarrowScope };

const NARROW: Readonly<Record<NarrowScope, NarrowDefinition>> = {
  "printers:read": {
    name: "printers:read",
    kind: "read",
    description:
      "Read the organization's printers (state, live status, temperatures, current job and progress), the outcome of commands sent to them, and its hubs (agents).",
    routes: [
      get("/public/v1/printers"),
      get("/public/v1/printers/{id}"),
      get("/public/v1/printers/{id}/status"),
      get("/public/v1/commands/{id}"),
      get("/public/v1/hubs"),
      get("/public/v1/hubs/{id}"),
    ],
  },
  "jobs:read": {
    name: "jobs:read",
    kind: "read",
    description: "Read the organization's print jobs: queue, history, status and timings.",
    routes: [get("/public/v1/jobs"), get("/public/v1/jobs/{id}")],
  },
  "inventory:read": {
    name: "inventory:read",
    kind: "read",
    description:
      "Read the organization's products and SKUs, its finished-goods stock by SKU (kits and their parts included) and its filament spools.",
    routes: [
      get("/public/v1/inventory"),
      get("/public/v1/inventory/alerts"),
      get("/public/v1/inventory/by-sku/{skuId}"),
      get("/public/v1/inventory/{id}"),
      get("/public/v1/materials/filament"),
      get("/public/v1/materials/filament/{id}"),
      get("/public/v1/products"),
      get("/public/v1/products/{id}"),
      get("/public/v1/skus"),
      get("/public/v1/skus/{id}"),
    ],
  },
  "analytics:read": {
    name: "analytics:read",
    kind: "read",
    description:
      "Read the organization's analytics: production, printer utilization, failures, material usage and live counts.",
    routes: [
      get("/public/v1/analytics/production"),
      get("/public/v1/analytics/printers"),
      get("/public/v1/analytics/failures"),
      get("/public/v1/analytics/inventory"),
      get("/public/v1/analytics/overview"),
    ],
  },
  "printers:write": {
    name: "printers:write",
    kind: "write",
    description: "Change printer data: put a printer into maintenance or take it out.",
    routes: [put("/public/v1/printers/{id}/maintenance")],
  },
  "inventory:write": {
    name: "inventory:write",
    kind: "write",
    description: "Change inventory data: set an item's low-stock threshold, add filament spools.",
    routes: [put("/public/v1/inventory/{id}/threshold"), post("/public/v1/materials/filament")],
  },
  "printers:control": {
    name: "printers:control",
    kind: "control",
    description:
      "Send physical commands to the organization's printers (pause, resume, stop, clear the bed) and read their outcome.",
    routes: [post("/public/v1/printers/{id}/control")],
  },
  "files:read": {
    name: "files:read",
    kind: "read",
    description:
      "Read the organization's print files: sizes, checksums, slicer metadata and thumbnails.",
    routes: [
      get("/public/v1/files"),
      get("/public/v1/files/{id}"),
      get("/public/v1/files/{id}/thumbnail"),
    ],
  },
  "files:write": {
    name: "files:write",
    kind: "write",
    description: "Upload print files (G-code), record them and delete them.",
    routes: [
      post("/public/v1/files/upload-url"),
      post("/public/v1/files"),
      del("/public/v1/files/{id}"),
    ],
  },
  "jobs:write": {
    name: "jobs:write",
    kind: "write",
    description:
      "Queue print jobs, change their priority, printer or place, remove and retry them.",
    routes: [
      post("/public/v1/jobs"),
      patch("/public/v1/jobs/{id}"),
      del("/public/v1/jobs/{id}"),
      post("/public/v1/jobs/{id}/retry"),
    ],
  },
  "jobs:control": {
    name: "jobs:control",
    kind: "control",
    description: "Start a queued job on its printer, and cancel a job.",
    routes: [post("/public/v1/jobs/{id}/start"), post("/public/v1/jobs/{id}/cancel")],
  },
  "worklist:read": {
    name: "worklist:read",
    kind: "read",
    description:
      "Read the farm's worklist: beds to clear and other tasks for the people on the floor.",
    routes: [get("/public/v1/worklist")],
  },
  "events:read": {
    name: "events:read",
    kind: "read",
    description:
      "Read the organization's events: the event list and the live event stream (Server-Sent Events).",
    routes: [get("/public/v1/events"), get("/public/v1/events/stream")],
  },
  "webhooks:read": {
    name: "webhooks:read",
    kind: "read",
    description:
      "Read the organization's webhook endpoints (never their secrets) and their deliveries.",
    routes: [
      get("/public/v1/webhook-endpoints"),
      get("/public/v1/webhook-endpoints/{id}"),
      get("/public/v1/webhook-endpoints/{id}/deliveries"),
    ],
  },
  "webhooks:write": {
    name: "webhooks:write",
    kind: "write",
    description:
      "Create, change and delete webhook endpoints, roll their secrets, send test pings and deliveries again.",
    routes: [
      post("/public/v1/webhook-endpoints"),
      patch("/public/v1/webhook-endpoints/{id}"),
      del("/public/v1/webhook-endpoints/{id}"),
      post("/public/v1/webhook-endpoints/{id}/roll-secret"),
      post("/public/v1/webhook-endpoints/{id}/test"),
      post("/public/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver"),
    ],
  },
  "worklist:write": {
    name: "worklist:write",
    kind: "write",
    description: "Complete worklist tasks (completing a collection task clears the printer's bed).",
    routes: [post("/public/v1/worklist/{id}/complete")],
  },
};

const NARROW_SCOPES = SCOPES.filter((s): s is NarrowScope => !isBroad(s));

function isBroad(scope: Scope): scope is BroadScope {
  return (BROAD_SCOPES as readonly string[]).includes(scope);
}

const BROAD_DESCRIPTION: Record<BroadScope, string> = {
  read: "Every read (every GET) of the public API; AutoPrintFarm's broad `read` scope.",
  write: "Every data change of the public API; AutoPrintFarm's broad `write` scope.",
  control: "Every physical command of the public API; AutoPrintFarm's broad `control` scope.",
};

function broadDefinition(kind: BroadScope): ScopeDefinition {
  return {
    name: kind,
    kind,
    broad: true,
    description: BROAD_DESCRIPTION[kind],
    routes: NARROW_SCOPES.filter((s) => NARROW[s].kind === kind).flatMap((s) => NARROW[s].routes),
  };
}

/** The one registry of scopes, read by the API-key middleware and the OpenAPI document. */
export const SCOPE_REGISTRY: Readonly<Record<Scope, ScopeDefinition>> = {
  ...(Object.fromEntries(NARROW_SCOPES.map((s) => [s, { ...NARROW[s], broad: false }])) as Record<
    NarrowScope,
    ScopeDefinition
  >),
  read: broadDefinition("read"),
  write: broadDefinition("write"),
  control: broadDefinition("control"),
};

/** The scopes that grant read access only; a key minted with them sees everything, changes nothing. */
export const ALL_READ_SCOPES: readonly Scope[] = NARROW_SCOPES.filter(
  (s) => NARROW[s].kind === "read",
);

/** Whether `x` is a known scope name. */
export function isScope(x: unknown): x is Scope {
  return typeof x === "string" && (SCOPES as readonly string[]).includes(x);
}

/** What `scope` grants, in one sentence. */
export function describeScope(scope: Scope): string {
  return SCOPE_REGISTRY[scope].description;
}

/**
 * Whether a key holding `held` may use a route that requires `required`: it holds that scope,
 * or the broad scope of the same kind (`read` grants `printers:read`, `write` grants
 * `inventory:write`, `control` grants `printers:control`).
 */
export function holdsScope(held: readonly string[], required: Scope): boolean {
  return held.includes(required) || held.includes(SCOPE_REGISTRY[required].kind);
}

/**
 * The narrow scope a route requires, from its method and OpenAPI path template
 * (`/public/v1/printers/{id}`), or `undefined` for a route no scope guards (such as `/me`).
 * Its broad scope grants it as well (see `holdsScope`).
 */
export function scopeForRoute(method: string, path: string): NarrowScope | undefined {
  const upper = method.toUpperCase();
  return NARROW_SCOPES.find((scope) =>
    NARROW[scope].routes.some((r) => r.method === upper && r.path === path),
  );
}
