import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { requestControlOnce } from "../../../modules/control/request.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  ControlAnswerSchema,
  ControlBodySchema,
  IdempotencyHeaderSchema,
} from "../../public/v1/control/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/printers/{printerId}/control",
  operationId: "dashboardControlPrinter",
  tags: TAGS,
  summary: "Pause, resume or stop a printer, or record its bed as cleared (owner, admin)",
  description:
    "The same code path and answers as POST /public/v1/printers/{id}/control: 200 acknowledged, 202 dispatched, 409 INVALID_STATE, 503 HUB_OFFLINE or HUB_COMMAND_FAILED.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParamsWith("printerId"),
    headers: IdempotencyHeaderSchema,
    body: jsonBody(ControlBodySchema),
  },
  responses: {
    200: dataResponse(ControlAnswerSchema, "Carried out and accepted by OctoPrint."),
    202: dataResponse(ControlAnswerSchema, "Sent, no result within 10 s; see the command."),
    ...errors(400, 401, 403, 404, 409, 422, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { printerId } = c.req.valid("param");
  const { action } = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"];
  const services = c.get("services");
  const session = c.get("session");
  const org = c.get("org");
  const result = await requestControlOnce(
    services,
    {
      organizationId: org.organizationId,
      printerId,
      action,
      requester: { type: "user", id: session.userId },
      origin: c.get("actor"),
    },
    { key, operation: route.operationId },
  );
  return result.carriedOut ? json(c, ok(result.data), 200) : json(c, ok(result.data), 202);
};
