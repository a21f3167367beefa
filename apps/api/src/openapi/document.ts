import { SCOPE_REGISTRY, SCOPES } from "@apf/auth";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { DEFAULT_KEY_BUDGET, FAILED_AUTH_LIMIT, KEY_WINDOW_S } from "../middleware/rate-limit.ts";

const TAGS = [
  { name: "Printers", description: "Printers and their live state (scope `printers:read`)." },
  { name: "Jobs", description: "Print jobs (scope `jobs:read`)." },
  { name: "Inventory", description: "Finished goods by SKU (scope `inventory:read`)." },
  { name: "Materials", description: "Filament spools (scope `inventory:read`)." },
  {
    name: "Control",
    description:
      "Physical commands carried to printers by their agent (scope `printers:control` or `control`).",
  },
  { name: "Key", description: "The calling key." },
  { name: "Documentation", description: "This document." },
];

function description(): string {
  const scopes = SCOPES.map((s) => `- \`${s}\`: ${SCOPE_REGISTRY[s].description}`).join("\n");
  return [
    "Read-only API of a print farm's printers, jobs and stock, compatible with AutoPrintFarm's public API.",
    "",
    "**Authentication**: `Authorization: Bearer apf_live_…` on every request (never in the query string, never in `X-Api-Key`).",
    "",
    `**Rate limits**: ${DEFAULT_KEY_BUDGET} requests per ${KEY_WINDOW_S} s per key unless the key has its own budget; every authenticated answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (epoch seconds); a 429 carries \`Retry-After\`. Past ${FAILED_AUTH_LIMIT} failed authentications a minute, an address gets 429 for requests without a valid key.`,
    "",
    "**Errors**: `{success: false, code, error, request_id}`; the codes are listed on each response.",
    "",
    "**Scopes**:",
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
