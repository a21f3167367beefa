import { findSpool } from "@apf/db/queries/filament";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { spoolSchema, toSpool } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/filament/{spoolId}",
  operationId: "dashboardGetFilamentSpool",
  tags: TAGS,
  summary: "One filament spool (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("spoolId") },
  responses: {
    200: dataResponse(spoolSchema, "The spool."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { spoolId } = c.req.valid("param");
  const spool = await findSpool(c.get("services").db, c.get("org").organizationId, spoolId);
  if (!spool) throw new ApiError("NOT_FOUND", "No such filament spool in this organization.");
  return json(c, ok(toSpool(spool)), 200);
};
