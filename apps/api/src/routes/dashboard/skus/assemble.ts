import { assembleKits } from "@apf/db/queries/kits";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { lowStockEvents } from "../../../modules/events/data.ts";
import { recordChange } from "../../../modules/events/record-change.ts";
import {
  dataResponse,
  errors,
  iso,
  jsonBody,
  ok,
  SESSION_SECURITY,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { skuSchema, toSku } from "./schemas.ts";

const COUNT = "must be a whole number from 1 to 10000";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/skus/{skuId}/assemble",
  operationId: "dashboardAssembleKits",
  tags: TAGS,
  summary: "Assemble kits from parts in stock (owner, admin)",
  description:
    "One stock movement per part (minus quantity × count) and one for the kit (plus count), in one transaction: all or nothing. 409 when a part is short (named) or the SKU is not a kit.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParamsWith("skuId"),
    body: jsonBody(
      z.object({ count: z.number().int(COUNT).min(1, COUNT).max(10_000, COUNT) }).strict(),
    ),
  },
  responses: {
    201: dataResponse(
      z.object({
        kit: skuSchema,
        movements: z.array(
          z.object({
            id: z.uuid(),
            sku_id: z.uuid(),
            delta: z.number().int(),
            reason: z.string(),
            created_at: timestamp(),
          }),
        ),
      }),
      "The kit with its new stock, and the movements recorded.",
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const { count } = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const result = await db.transaction(async (tx) => {
    const assembled = await assembleKits(tx, {
      organizationId,
      kitSkuId: skuId,
      count,
      actorUserId: c.get("session").userId,
      at: clock.now(),
    });
    if (!assembled.ok) {
      // Throwing rolls back whatever parts were already taken.
      switch (assembled.reason) {
        case "not_found":
          throw new ApiError("NOT_FOUND", "No such SKU in this organization.");
        case "not_a_kit":
          throw new ApiError("CONFLICT", "This SKU has no parts: it is not a kit.");
        case "insufficient":
          throw new ApiError(
            "CONFLICT",
            `Not enough of part ${assembled.sku}: ${assembled.needed} needed, ${assembled.readyStock} ready.`,
          );
      }
    }
    await recordChange(tx, c.get("actor"), {
      organizationId,
      audit: {
        action: "sku.kits_assembled",
        target: { type: "sku", id: skuId },
        details: {
          count,
          ready_stock: assembled.kit.readyStock,
          movement_ids: assembled.movements.map((m) => m.id),
        },
      },
      events: await lowStockEvents(tx, organizationId, assembled.movements),
    });
    return assembled;
  });
  return json(
    c,
    ok({
      kit: toSku(result.kit),
      movements: result.movements.map((m) => ({
        id: m.id,
        sku_id: m.skuId,
        delta: m.delta,
        reason: m.reason,
        created_at: iso(m.createdAt),
      })),
    }),
    201,
  );
};
