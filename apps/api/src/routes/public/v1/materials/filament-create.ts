import { insertSpool } from "@apf/db/queries/filament";
import { createRoute, z } from "@hono/zod-openapi";
import { recordAudit } from "../../../../modules/audit/audit.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope, jsonBody, text } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import {
  assertOwnPrinter,
  spoolFields,
  toSpoolColumns,
} from "../../../dashboard/filament/schemas.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { FilamentSpoolSchema, toFilamentSpool } from "./filament-schema.ts";

/** The fields of the filament item; `type` and `color` are required. */
const body = z
  .object({ ...spoolFields, color: text(50) })
  .strict()
  .openapi("FilamentSpoolCreate");

export const createFilamentRoute = createRoute({
  method: "post",
  path: "/materials/filament",
  operationId: "createFilamentSpool",
  tags: ["Materials"],
  summary: "Add a filament spool",
  ...keyOperation(
    "inventory:write",
    "Adds a spool with the fields of the filament item (`type` and `color` required). Audited with the key that made the change.",
  ),
  request: { body: jsonBody(body) },
  responses: {
    201: {
      description: "The new spool.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(FilamentSpoolSchema) } },
    },
    ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503),
  },
});

/** POST /public/v1/materials/filament */
export function registerCreateFilament(router: PublicRouter) {
  router.openapi(createFilamentRoute, async (c) => {
    const input = c.req.valid("json");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const organizationId = apiKey.organizationId;
    const spool = await services.db.transaction(async (tx) => {
      await assertOwnPrinter(tx, organizationId, input.printer_id);
      const row = await insertSpool(
        tx,
        organizationId,
        { ...toSpoolColumns(input), type: input.type },
        services.clock.now(),
      );
      await recordAudit(tx, c.get("actor"), {
        organizationId,
        action: "filament.created",
        target: { type: "filament_spool", id: row.id },
        details: { api_key_name: apiKey.name, type: row.type, color: row.color, brand: row.brand },
      });
      return row;
    });
    return json(c, { success: true as const, data: toFilamentSpool(spool) }, 201);
  });
}
