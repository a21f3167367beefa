import { adjustStock } from "@apf/db/queries/skus";
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
  text,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { skuSchema, toSku } from "./schemas.ts";

const DELTA_RANGE = "must be a whole number from -1000000 to 1000000, not 0";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/skus/{skuId}/stock",
  operationId: "dashboardAdjustSkuStock",
  tags: TAGS,
  summary: "Adjust a SKU's ready stock by hand (owner, admin)",
  description: "Stock never goes below zero: a delta that would is refused with 409.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParamsWith("skuId"),
    body: jsonBody(
      z
        .object({
          delta: z
            .number()
            .int(DELTA_RANGE)
            .min(-1_000_000, DELTA_RANGE)
            .max(1_000_000, DELTA_RANGE)
            .refine((d) => d !== 0, DELTA_RANGE),
          reason: text(200),
        })
        .strict(),
    ),
  },
  responses: {
    201: dataResponse(
      z.object({
        movement: z.object({
          id: z.uuid(),
          delta: z.number().int(),
          reason: z.string(),
          created_at: timestamp(),
        }),
        sku: skuSchema,
      }),
      "The recorded movement and the SKU with its new stock.",
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const { delta, reason } = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const result = await db.transaction(async (tx) => {
    const adjusted = await adjustStock(tx, {
      organizationId,
      skuId,
      delta,
      reason,
      actorUserId: c.get("session").userId,
      at: clock.now(),
    });
    if (!adjusted.ok && adjusted.reason === "not_found") {
      throw new ApiError("NOT_FOUND", "No such SKU in this organization.");
    }
    if (!adjusted.ok) {
      throw new ApiError(
        "CONFLICT",
        `Stock cannot go below zero: ${adjusted.readyStock} ready, delta ${delta}.`,
      );
    }
    await recordChange(tx, c.get("actor"), {
      organizationId,
      audit: {
        action: "sku.stock_adjusted",
        target: { type: "sku", id: skuId },
        details: {
          delta,
          reason,
          ready_stock: adjusted.sku.readyStock,
          movement_id: adjusted.movement.id,
        },
      },
      events: await lowStockEvents(tx, organizationId, [{ skuId, delta }]),
    });
    return adjusted;
  });
  const { movement, sku } = result;
  return json(
    c,
    ok({
      movement: {
        id: movement.id,
        delta: movement.delta,
        reason: movement.reason,
        created_at: iso(movement.createdAt),
      },
      sku: toSku(sku),
    }),
    201,
  );
};
