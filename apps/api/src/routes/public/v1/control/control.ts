import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { requestControlOnce } from "../../../../modules/control/request.ts";
import {
  AUTHENTICATED_HEADERS,
  errorResponses,
  hubUnavailableResponse,
} from "../../../../openapi/components.ts";
import { isUuid, itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { ControlAnswerSchema, ControlBodySchema, IdempotencyHeaderSchema } from "./schema.ts";

export const controlPrinterRoute = createRoute({
  method: "post",
  path: "/printers/{id}/control",
  operationId: "controlPrinter",
  tags: ["Control"],
  summary: "Pause, resume or stop a printer, or record its bed as cleared",
  ...keyOperation(
    "printers:control",
    "Checks the action against the printer's latest reported state, hands it to the printer's agent and waits up to 10 s for the result. The agent carries it to OctoPrint (`POST /api/job`). A command the agent has not taken within 30 s of the request expires and never runs.",
  ),
  request: {
    params: idParams,
    headers: IdempotencyHeaderSchema,
    body: {
      required: true,
      content: { "application/json": { schema: ControlBodySchema } },
    },
  },
  responses: {
    200: {
      description: "The agent carried it out and OctoPrint accepted it (`status: acknowledged`).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(ControlAnswerSchema) } },
    },
    202: {
      description:
        "Sent, but no result within 10 s (`status: dispatched` or `pending`); follow up with GET /public/v1/commands/{command_id}.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(ControlAnswerSchema) } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422, 429, 500),
    ...hubUnavailableResponse(),
  },
});

/** POST /public/v1/printers/{id}/control */
export function registerControlPrinter(router: PublicRouter) {
  router.openapi(controlPrinterRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { action } = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    if (!isUuid(id)) throw new ApiError("NOT_FOUND", "Printer not found.");
    const result = await requestControlOnce(
      services,
      {
        organizationId: apiKey.organizationId,
        printerId: id,
        action,
        requester: { type: "api_key", id: apiKey.keyId },
        origin: c.get("actor"),
      },
      { key, operation: controlPrinterRoute.operationId },
    );
    const body = { success: true as const, data: result.data };
    return result.carriedOut ? json(c, body, 200) : json(c, body, 202);
  });
}
