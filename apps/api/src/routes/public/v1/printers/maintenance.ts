import { setPrinterMaintenance } from "@apf/db/queries/printers";
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { printerStatusBefore, printerStatusEvent } from "../../../../modules/events/data.ts";
import { recordChange } from "../../../../modules/events/record-change.ts";
import {
  printerFreshness,
  readPrinterDetailView,
} from "../../../../modules/printers/printer-view.ts";
import {
  PrinterDetailSchema,
  toPublicPrinterDetail,
} from "../../../../modules/printers/public-printer.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid, itemEnvelope, jsonBody, text } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";

const body = z
  .object({
    in_maintenance: z.boolean({ error: "must be true or false" }),
    maintenance_type: text(120).nullable().optional().openapi({
      description: "What the maintenance is, e.g. `nozzle change`; cleared on leaving.",
    }),
  })
  .strict()
  .openapi("PrinterMaintenanceChange");

export const setPrinterMaintenanceRoute = createRoute({
  method: "put",
  path: "/printers/{id}/maintenance",
  operationId: "setPrinterMaintenance",
  tags: ["Printers"],
  summary: "Put a printer into maintenance or take it out",
  ...keyOperation(
    "printers:write",
    "While in maintenance the printer reads `status: maintenance`. Entering sets `last_maintenance_date`. Audited with the key that made the change.",
  ),
  request: {
    params: idParams,
    body: jsonBody(body),
  },
  responses: {
    200: {
      description: "The printer as changed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrinterDetailSchema) } },
    },
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
  },
});

/** PUT /public/v1/printers/{id}/maintenance */
export function registerSetPrinterMaintenance(router: PublicRouter) {
  router.openapi(setPrinterMaintenanceRoute, async (c) => {
    const { id } = c.req.valid("param");
    const change = c.req.valid("json");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const organizationId = apiKey.organizationId;
    const freshness = printerFreshness(services);
    const printer = await services.db.transaction(async (tx) => {
      const before = isUuid(id) && (await printerStatusBefore(tx, organizationId, id, freshness));
      const found =
        before &&
        (await setPrinterMaintenance(
          tx,
          organizationId,
          id,
          {
            inMaintenance: change.in_maintenance,
            maintenanceType: change.maintenance_type ?? null,
          },
          services.clock.now(),
        ));
      if (!found) throw new ApiError("NOT_FOUND", "Printer not found.");
      const moved = await printerStatusEvent(tx, organizationId, id, before, freshness);
      await recordChange(tx, c.get("actor"), {
        organizationId,
        audit: {
          action: "printer.maintenance_changed",
          target: { type: "printer", id },
          details: {
            api_key_name: apiKey.name,
            in_maintenance: change.in_maintenance,
            maintenance_type: change.maintenance_type ?? null,
          },
        },
        events: moved ? [moved] : [],
      });
      return readPrinterDetailView(tx, organizationId, id, freshness);
    });
    // Out of maintenance: the printer may take a queued job.
    if (!change.in_maintenance) services.dispatcher.wake(organizationId);
    return json(c, { success: true as const, data: toPublicPrinterDetail(printer!) }, 200);
  });
}
