import { findPublicPrinterLiveStatus } from "@apf/db/queries/public-printers";
import { PRINTER_VIEW_STATUSES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { iso, itemEnvelope, timestamp } from "../../../../openapi/kit.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { printerFreshness } from "./schema.ts";

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

function clampPercent(value: number | null): number | null {
  return value === null ? null : Math.min(100, Math.max(0, value));
}

/** GET /public/v1/printers/{id}/status */
export function registerGetPrinterStatus(router: PublicRouter) {
  router.openapi(getPrinterStatusRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Printer", (printerId) =>
      findPublicPrinterLiveStatus(
        services.db,
        apiKey.organizationId,
        printerId,
        printerFreshness(services),
      ),
    );
    const heater = (name: string) => row.temperatures?.[name] ?? { actual: null, target: null };
    const data = PrinterLiveStatusSchema.parse({
      printer_id: row.id,
      hub_online: row.hubOnline,
      status: row.status,
      progress: row.currentJobId ? clampPercent(row.progressPercentage) : null,
      nozzle_temp: heater("tool0").actual ?? null,
      bed_temp: heater("bed").actual ?? null,
      chamber_temp: heater("chamber").actual ?? null,
      target_nozzle_temp: heater("tool0").target ?? null,
      target_bed_temp: heater("bed").target ?? null,
      layer_num: null,
      total_layers: null,
      remaining_time_minutes:
        row.currentJobId && row.printTimeLeftS !== null ? Math.ceil(row.printTimeLeftS / 60) : null,
      current_job_id: row.currentJobId,
      current_color: row.currentColor,
      current_color_hex: row.currentColorHex,
      current_filament_type: row.currentFilamentType,
      last_telemetry_at: iso(row.lastTelemetryAt),
    });
    return c.json({ success: true as const, data }, 200);
  });
}
