import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { printerFreshness, readPrinterViews } from "../../../modules/printers/printer-view.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { printerSchema, toPrinter } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/printers",
  operationId: "dashboardListPrinters",
  tags: TAGS,
  summary: "The organization's printers (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(printerSchema), "Printers by name."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const services = c.get("services");
  const views = await readPrinterViews(
    services.db,
    c.get("org").organizationId,
    printerFreshness(services),
  );
  return json(c, ok(views.map(toPrinter)), 200);
};
