/** Every API-key scope, usable as `z.enum(SCOPES)`. */
export const SCOPES = ["printers:read", "jobs:read", "inventory:read"] as const;

/** An API-key scope. */
export type Scope = (typeof SCOPES)[number];

/** What a scope is called and what it grants. The routes that require it say so themselves
 * (`keyOperation(scope, …)` in the API), and the OpenAPI document lists them. */
export interface ScopeDefinition {
  name: Scope;
  description: string;
}

/** The one registry of scopes, read by the OpenAPI document. */
export const SCOPE_REGISTRY: Readonly<Record<Scope, ScopeDefinition>> = {
  "printers:read": {
    name: "printers:read",
    description: "Read the organization's printers: state, temperatures, current job and progress.",
  },
  "jobs:read": {
    name: "jobs:read",
    description: "Read the organization's print jobs: queue, history, status and timings.",
  },
  "inventory:read": {
    name: "inventory:read",
    description: "Read the organization's finished-goods stock by SKU and its filament spools.",
  },
};

/** Every scope grants read access only, so this is all of them; a key minted with it sees all. */
export const ALL_READ_SCOPES: readonly Scope[] = SCOPES;

/** Whether `x` is a known scope name. */
export function isScope(x: unknown): x is Scope {
  return typeof x === "string" && (SCOPES as readonly string[]).includes(x);
}
