import { SCOPE_REGISTRY, SCOPES } from "@apf/auth";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { DEFAULT_KEY_BUDGET, FAILED_AUTH_LIMIT, KEY_WINDOW_S } from "../middleware/rate-limit.ts";

const TAGS = [
  {
    name: "Printers",
    description:
      "Printers and their live state (scope `printers:read`); maintenance (scope `printers:write`).",
  },
  {
    name: "Jobs",
    description:
      "Print jobs (scope `jobs:read`); the print queue: enqueue, edit, remove and retry (scope `jobs:write`), start and cancel (scope `jobs:control`).",
  },
  {
    name: "Worklist",
    description:
      "The technicians' tasks, such as clearing a printer's bed after a job (scopes `worklist:read`, `worklist:write`).",
  },
  {
    name: "Inventory",
    description:
      "Finished goods by SKU, kits and their parts (scope `inventory:read`); thresholds (scope `inventory:write`).",
  },
  {
    name: "Materials",
    description:
      "Filament spools (scope `inventory:read`); adding spools (scope `inventory:write`).",
  },
  {
    name: "Control",
    description:
      "Physical commands carried to printers by their agent (scope `printers:control` or `control`).",
  },
  {
    name: "Events",
    description:
      "What changed, as it happens: the event list and the Server-Sent Events stream (scope `events:read`); docs/events.md describes each type.",
  },
  {
    name: "Webhooks",
    description:
      "Signed HTTP POSTs of the organization's events to its endpoints, retried until they land (scopes `webhooks:read`, `webhooks:write`); docs/events.md shows how to verify them.",
  },
  {
    name: "Hubs",
    description: "The farm's agents, in AutoPrintFarm's hub fields (scope `printers:read`).",
  },
  {
    name: "Analytics",
    description:
      "Production, printer utilization, failures, material usage and live counts over days of the organization's time zone (scope `analytics:read`).",
  },
  {
    name: "Files",
    description:
      "Print files (G-code): the three-step upload and file records (scope `files:write`), reading them (scope `files:read`).",
  },
  { name: "Key", description: "The calling key." },
  { name: "Documentation", description: "This document." },
];

function description(): string {
  const scopes = SCOPES.map((s) => `- \`${s}\`: ${SCOPE_REGISTRY[s].description}`).join("\n");
  return [
    "API of a print farm's printers, jobs and stock, compatible with AutoPrintFarm's public API: reads, and the data changes AutoPrintFarm offers (maintenance, low-stock thresholds, filament spools), each audited with the key that made it. Bodies are JSON (`application/json`, at most 64 KiB).",
    "",
    "**Authentication**: `Authorization: Bearer apf_live_…` on every request (never in the query string, never in `X-Api-Key`).",
    "",
    `**Rate limits**: ${DEFAULT_KEY_BUDGET} requests per ${KEY_WINDOW_S} s per key unless the key has its own budget; every authenticated answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (epoch seconds); a 429 carries \`Retry-After\`. Past ${FAILED_AUTH_LIMIT} failed authentications a minute, an address gets 429 for requests without a valid key.`,
    "",
    "**Errors**: `{success: false, code, error, request_id}`; the codes are listed on each response.",
    "",
    "**Scopes**: a route needs its fine-grained scope or the broad scope of its kind (`read` for every GET, `write` for every data change, `control` for every physical command). `INSUFFICIENT_SCOPE` names the fine-grained scope.",
    scopes,
  ].join("\n");
}

/** The licence every document states (apf is not published under an open licence). */
export const LICENSE = { name: "Proprietary", identifier: "LicenseRef-apf-proprietary" };

/** The public document's description of itself: title, version, description and tags. */
export function publicInfo() {
  return {
    info: { title: "apf public API", version: "1.0.0", description: description() },
    tags: TAGS,
  };
}

export interface DocumentOptions {
  info: { title: string; version: string; description: string };
  tags?: { name: string; description: string }[];
  /** Where the router is mounted. */
  basePath: string;
  /**
   * "paths": the paths carry the base path and the server is the origin's root (/public/v1,
   * whose contract lists full paths); "server": paths are relative to a server at the base path.
   */
  prefix: "paths" | "server";
}

/**
 * The OpenAPI 3.1 document of a surface's router, generated from its route definitions, with a
 * server URL (relative to wherever the API is served) and the licence.
 */
export function buildDocument<E extends Env>(router: OpenAPIHono<E>, options: DocumentOptions) {
  const document = router.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { ...options.info, license: LICENSE },
    servers: [
      options.prefix === "server"
        ? { url: options.basePath, description: "This API, on the host serving this document." }
        : { url: "/", description: "The host serving this document." },
    ],
    ...(options.tags ? { tags: options.tags } : {}),
  });
  if (options.prefix === "server") return document;
  const paths = Object.fromEntries(
    Object.entries(document.paths ?? {}).map(([path, item]) => [
      `${options.basePath}${path}`,
      item,
    ]),
  );
  return { ...document, paths };
}
