import { updatePrinter } from "@apf/db/queries/printers";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordUpdate } from "../../../modules/audit/record-update.ts";
import { printerUpdatedEvents } from "../../../modules/events/data.ts";
import { printerFreshness, readPrinterView } from "../../../modules/printers/printer-view.ts";
import {
  clearableText,
  dataResponse,
  errors,
  hexColor,
  jsonBody,
  nonEmptyPatch,
  ok,
  SESSION_SECURITY,
  text,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { printerSchema, toPrinter } from "./schemas.ts";

const body = nonEmptyPatch(
  z
    .object({
      name: text(100).optional(),
      model: clearableText(100),
      manufacturer: clearableText(100),
      location: clearableText(100),
      nozzle_size: z
        .number()
        .gt(0, "must be a size in millimetres above 0")
        .max(5, "must be at most 5 mm")
        .nullable()
        .optional(),
      is_active: z.boolean().optional(),
      current_color: clearableText(50),
      current_color_hex: hexColor.nullable().optional(),
      current_filament_type: clearableText(50),
      current_build_plate: clearableText(100),
    })
    .strict(),
);

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/printers/{printerId}",
  operationId: "dashboardUpdatePrinter",
  tags: TAGS,
  summary: "Set what the agent cannot know about a printer (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("printerId"), body: jsonBody(body) },
  responses: {
    200: dataResponse(printerSchema, "The printer as changed."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { printerId } = c.req.valid("param");
  const patch = c.req.valid("json");
  const services = c.get("services");
  const { organizationId } = c.get("org");
  const freshness = printerFreshness(services);
  const printer = await services.db.transaction(async (tx) => {
    const found = await updatePrinter(
      tx,
      organizationId,
      printerId,
      {
        name: patch.name,
        model: patch.model,
        manufacturer: patch.manufacturer,
        location: patch.location,
        nozzleSize: patch.nozzle_size,
        isActive: patch.is_active,
        currentColor: patch.current_color,
        currentColorHex: patch.current_color_hex,
        currentFilamentType: patch.current_filament_type,
        currentBuildPlate: patch.current_build_plate,
      },
      freshness.now,
    );
    const view = found
      ? await readPrinterView(tx, organizationId, printerId, freshness)
      : undefined;
    return recordUpdate(
      tx,
      { origin: c.get("actor"), organizationId: c.get("org").organizationId },
      view,
      {
        action: "printer.updated",
        target: { type: "printer", id: printerId },
        changes: patch,
        notFound: "No such printer in this organization.",
        events: view ? await printerUpdatedEvents(tx, organizationId, [printerId], freshness) : [],
      },
    );
  });
  // Active again, or another model, nozzle or filament: queued jobs may fit it now.
  services.dispatcher.wake(organizationId);
  return json(c, ok(toPrinter(printer)), 200);
};
