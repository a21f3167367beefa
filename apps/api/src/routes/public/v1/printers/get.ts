import { createRoute } from "@hono/zod-openapi";
import {
  printerFreshness,
  readPrinterDetailView,
} from "../../../../modules/printers/printer-view.ts";
import {
  PrinterDetailSchema,
  toPublicPrinterDetail,
} from "../../../../modules/printers/public-printer.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";

export const getPrinterRoute = createRoute({
  method: "get",
  path: "/printers/{id}",
  operationId: "getPrinter",
  tags: ["Printers"],
  summary: "Get a printer",
  ...keyOperation(
    "printers:read",
    "One printer of the organization, with live state, firmware, print time and maintenance.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The printer.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrinterDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/printers/{id} */
export function registerGetPrinter(router: PublicRouter) {
  router.openapi(getPrinterRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const view = await findOr404(id, "Printer", (printerId) =>
      readPrinterDetailView(
        services.db,
        apiKey.organizationId,
        printerId,
        printerFreshness(services),
      ),
    );
    return json(c, { success: true as const, data: toPublicPrinterDetail(view) }, 200);
  });
}
