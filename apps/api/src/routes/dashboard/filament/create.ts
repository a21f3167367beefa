import { insertSpool } from "@apf/db/queries/filament";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { assertOwnPrinter, spoolFields, spoolSchema, toSpool, toSpoolColumns } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/filament",
  operationId: "dashboardCreateFilamentSpool",
  tags: TAGS,
  summary: "Add a filament spool (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParams, body: jsonBody(z.object(spoolFields).strict()) },
  responses: {
    201: dataResponse(spoolSchema, "The new spool."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const spool = await db.transaction(async (tx) => {
    await assertOwnPrinter(tx, organizationId, body.printer_id);
    const row = await insertSpool(
      tx,
      organizationId,
      { ...toSpoolColumns(body), type: body.type },
      clock.now(),
    );
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "filament.created",
      target: { type: "filament_spool", id: row.id },
      details: { type: row.type, color: row.color, brand: row.brand },
    });
    return row;
  });
  return json(c, ok(toSpool(spool)), 201);
};
