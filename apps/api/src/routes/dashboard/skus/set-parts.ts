import { listKitParts, setKitParts } from "@apf/db/queries/kits";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { invalidField } from "../../../openapi/validation.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { kitPartSchema, toKitPart } from "./parts-schema.ts";

const QUANTITY = "must be a whole number from 1 to 10000";

const body = z
  .object({
    parts: z
      .array(
        z
          .object({
            part_sku_id: z.uuid("must be a SKU id"),
            quantity: z.number().int(QUANTITY).min(1, QUANTITY).max(10_000, QUANTITY),
          })
          .strict(),
      )
      .max(100, "must list at most 100 parts")
      .superRefine((parts, ctx) => {
        const seen = new Set<string>();
        parts.forEach((p, i) => {
          if (seen.has(p.part_sku_id)) {
            ctx.addIssue({ code: "custom", path: [i, "part_sku_id"], message: "is listed twice" });
          }
          seen.add(p.part_sku_id);
        });
      }),
  })
  .strict();

export const route = createRoute({
  method: "put",
  path: "/orgs/{orgId}/skus/{skuId}/parts",
  operationId: "dashboardSetSkuParts",
  tags: TAGS,
  summary: "Make a SKU a kit: set the parts it is assembled from (owner, admin)",
  description:
    "Replaces the whole parts list; an empty list makes the SKU a plain product again. Parts are other SKUs of the organization; a kit cannot be a part, nor a part a kit.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("skuId"), body: jsonBody(body) },
  responses: {
    200: dataResponse(z.array(kitPartSchema), "The kit's parts as set."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const { parts } = c.req.valid("json");
  const { db } = c.get("services");
  const { organizationId } = c.get("org");
  const self = parts.findIndex((p) => p.part_sku_id === skuId);
  if (self >= 0) {
    throw invalidField("json", ["parts", self, "part_sku_id"], "a kit cannot be a part of itself.");
  }
  const list = await db.transaction(async (tx) => {
    const result = await setKitParts(
      tx,
      organizationId,
      skuId,
      parts.map((p) => ({ partSkuId: p.part_sku_id, quantity: p.quantity })),
    );
    if (!result.ok) {
      switch (result.reason) {
        case "kit_not_found":
          throw new ApiError("NOT_FOUND", "No such SKU in this organization.");
        case "unknown_part": {
          const index = parts.findIndex((p) => p.part_sku_id === result.partSkuId);
          throw invalidField(
            "json",
            ["parts", index, "part_sku_id"],
            "no such SKU in this organization.",
          );
        }
        case "part_is_kit":
          throw new ApiError("CONFLICT", "A kit cannot be a part of another kit.");
        case "kit_is_part":
          throw new ApiError("CONFLICT", "This SKU is a part of a kit, so it cannot be a kit.");
      }
    }
    if (parts.some((p) => p.part_sku_id === skuId)) {
      throw invalidField("json", ["parts"], "a kit cannot contain itself.");
    }
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "sku.parts_changed",
      target: { type: "sku", id: skuId },
      details: { parts },
    });
    return listKitParts(tx, organizationId, skuId);
  });
  return json(c, ok(list.map(toKitPart)), 200);
};
