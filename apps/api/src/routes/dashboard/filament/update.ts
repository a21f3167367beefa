import { updateSpool } from "@apf/db/queries/filament";
import { isSpoolLow } from "@apf/db/queries/public-filament";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordUpdate } from "../../../modules/audit/record-update.ts";
import { spoolLowStockEvents } from "../../../modules/events/data.ts";
import {
  dataResponse,
  errors,
  jsonBody,
  nonEmptyPatch,
  ok,
  SESSION_SECURITY,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { assertOwnPrinter, spoolFields, spoolSchema, toSpool, toSpoolColumns } from "./schemas.ts";

const body = nonEmptyPatch(
  z.object({ ...spoolFields, type: spoolFields.type.optional() }).strict(),
);

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/filament/{spoolId}",
  operationId: "dashboardUpdateFilamentSpool",
  tags: TAGS,
  summary: "Change a filament spool (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("spoolId"), body: jsonBody(body) },
  responses: {
    200: dataResponse(spoolSchema, "The spool as changed."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { spoolId } = c.req.valid("param");
  const patch = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const spool = await db.transaction(async (tx) => {
    await assertOwnPrinter(tx, organizationId, patch.printer_id);
    const wasLow = await isSpoolLow(tx, organizationId, spoolId, true);
    const row = await updateSpool(tx, organizationId, spoolId, toSpoolColumns(patch), clock.now());
    return recordUpdate(
      tx,
      { origin: c.get("actor"), organizationId: c.get("org").organizationId },
      row,
      {
        action: "filament.updated",
        target: { type: "filament_spool", id: spoolId },
        changes: patch,
        notFound: "No such filament spool in this organization.",
        events: row ? await spoolLowStockEvents(tx, organizationId, spoolId, wasLow) : [],
      },
    );
  });
  return json(c, ok(toSpool(spool)), 200);
};
