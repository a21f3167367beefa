import { PRINTER_VIEW_STATUSES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { printerFreshness } from "../../../../modules/printers/printer-view.ts";
import { PrinterSchema } from "../../../../modules/printers/public-printer.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { cachedJson, NOT_MODIFIED_RESPONSE } from "../../../../openapi/encoded-json.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { booleanFlag, filterText, oneOf, optInPage, optInPaging } from "../params.ts";

const query = z.object({
  is_active: booleanFlag("Only active (`true`) or inactive (`false`) printers."),
  status: oneOf(
    PRINTER_VIEW_STATUSES,
    "Only printers in this status (a stale printer counts as `offline`, one in maintenance as `maintenance`).",
  ),
  location: filterText(200, "Only printers at exactly this location."),
  search: filterText(120, "Case-insensitive substring of the printer's name, 1 to 120 characters."),
  ...optInPaging,
});

export const listPrintersRoute = createRoute({
  method: "get",
  path: "/printers",
  operationId: "listPrinters",
  tags: ["Printers"],
  summary: "List printers",
  ...keyOperation(
    "printers:read",
    "The organization's printers by name, with live state. Every printer unless paged.",
  ),
  request: { query },
  responses: {
    200: {
      description: "The printers; `meta` only when `limit` or `offset` was given.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(PrinterSchema, "when paged") } },
    },
    ...NOT_MODIFIED_RESPONSE,
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/printers */
export function registerListPrinters(router: PublicRouter) {
  router.openapi(listPrintersRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    // Served from the organization's serialised list, rebuilt only when a printer changed or
    // went stale (services/printer-list-cache.ts); the bytes are what PrinterSchema produced.
    const body = await services.printerListCache.body(
      apiKey.organizationId,
      { isActive: q.is_active, status: q.status, location: q.location, search: q.search },
      printerFreshness(services),
      optInPage(q),
    );
    // The whole list is the cache's bytes: sent compressed when the client accepts it.
    return cachedJson(c, body, services.encodedBodies);
  });
}
