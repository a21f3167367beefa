import { CONTROL_ACTIONS, PRINTER_VIEW_STATUSES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { printerFreshness, readPrinterView } from "../../../../modules/printers/printer-view.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { iso, itemEnvelope, timestamp } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";

const celsius = (what: string) =>
  z
    .number()
    .nullable()
    .openapi({ description: `${what}, degrees Celsius; null when unknown.` });

/** AutoPrintFarm's live status of one printer. Unknown values are null. */
export const PrinterLiveStatusSchema = z
  .object({
    printer_id: z.string(),
    hub_online: z.boolean().openapi({
      description: "The printer's agent reported within the stale window.",
    }),
    status: z.enum(PRINTER_VIEW_STATUSES),
    progress: z.number().min(0).max(100).nullable().openapi({
      description: "Percent of the current print, 0–100.",
    }),
    nozzle_temp: celsius("Nozzle (tool0) temperature"),
    bed_temp: celsius("Bed temperature"),
    chamber_temp: celsius("Chamber temperature"),
    target_nozzle_temp: celsius("Nozzle target"),
    target_bed_temp: celsius("Bed target"),
    layer_num: z.int().nullable().openapi({ description: "OctoPrint does not report layers." }),
    total_layers: z.int().nullable().openapi({ description: "OctoPrint does not report layers." }),
    remaining_time_minutes: z.int().min(0).nullable().openapi({
      description: "OctoPrint's estimate of the current print's time left, in whole minutes.",
    }),
    current_job_id: z.string().nullable(),
    current_color: z.string().nullable(),
    current_color_hex: z.string().nullable(),
    current_filament_type: z.string().nullable(),
    last_telemetry_at: timestamp().nullable().openapi({
      description: "When the agent observed the state shown here.",
    }),
    available_actions: z.array(z.enum(CONTROL_ACTIONS)).openapi({
      description:
        "The control actions the printer allows now, as on GET /printers (not part of AutoPrintFarm's shape).",
    }),
  })
  .openapi("PrinterLiveStatus");

export const getPrinterStatusRoute = createRoute({
  method: "get",
  path: "/printers/{id}/status",
  operationId: "getPrinterStatus",
  tags: ["Printers"],
  summary: "Get a printer's live status",
  ...keyOperation("printers:read", "The printer's latest telemetry, AutoPrintFarm's live status."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The live status.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrinterLiveStatusSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/printers/{id}/status */
export function registerGetPrinterStatus(router: PublicRouter) {
  router.openapi(getPrinterStatusRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const view = await findOr404(id, "Printer", (printerId) =>
      readPrinterView(services.db, apiKey.organizationId, printerId, printerFreshness(services)),
    );
    // The printer's view, AutoPrintFarm's names: nothing here reads the row again.
    const heater = (name: string) => view.temperatures[name] ?? { actual: null, target: null };
    const data = PrinterLiveStatusSchema.parse({
      printer_id: view.id,
      hub_online: view.fresh,
      status: view.status,
      progress: view.progressPercentage,
      nozzle_temp: heater("tool0").actual,
      bed_temp: heater("bed").actual,
      chamber_temp: heater("chamber").actual,
      target_nozzle_temp: heater("tool0").target,
      target_bed_temp: heater("bed").target,
      layer_num: null,
      total_layers: null,
      remaining_time_minutes:
        view.printTimeLeftS === null ? null : Math.ceil(view.printTimeLeftS / 60),
      current_job_id: view.currentJobId,
      current_color: view.currentColor,
      current_color_hex: view.currentColorHex,
      current_filament_type: view.currentFilamentType,
      last_telemetry_at: iso(view.observedAt),
      available_actions: view.availableActions,
    });
    return json(c, { success: true as const, data }, 200);
  });
}
