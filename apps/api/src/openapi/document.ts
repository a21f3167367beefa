import { SCOPE_REGISTRY, SCOPES } from "@apf/auth";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { DEFAULT_KEY_BUDGET, FAILED_AUTH_LIMIT, KEY_WINDOW_S } from "../middleware/rate-limit.ts";

const TAGS = [
  {
    name: "Printers",
    description:
      "Printers and their live state (scope `printers:read`); maintenance (scope `printers:write`).",
  },
  { name: "Jobs", description: "Print jobs (scope `jobs:read`)." },
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

/**
 * The OpenAPI 3.1 document of the /public/v1 router, generated from its route definitions, with
 * paths prefixed by where the router is mounted.
 */
export function buildPublicDocument(router: OpenAPIHono<AppEnv>, basePath: string) {
  const document = router.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "apf public API", version: "1.0.0", description: description() },
    tags: TAGS,
  });
  const paths = Object.fromEntries(
    Object.entries(document.paths ?? {}).map(([path, item]) => [`${basePath}${path}`, item]),
  );
  return { ...document, paths };
}
