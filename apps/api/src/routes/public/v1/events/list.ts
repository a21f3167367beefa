import { listEvents } from "@apf/db/queries/events";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { wholeNumberOr } from "../params.ts";
import { EventSchema, eventTypesQuery, toPublicEvent } from "./schema.ts";

/** Far beyond any organization's count, so the number stays a safe integer. */
const MAX_SEQUENCE = 1_000_000_000_000;

const query = z.object({
  after: wholeNumberOr(
    0,
    0,
    MAX_SEQUENCE,
    "Events after this sequence (default 0: the oldest kept).",
  ),
  types: eventTypesQuery,
  limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
});

const EventPageMetaSchema = z
  .object({
    limit: z.int(),
    after: z.int(),
    next_after: z.int().openapi({
      description:
        "Pass as `after` for the next page: the last sequence of this page (or `after` when it is empty).",
    }),
    has_more: z.boolean(),
  })
  .openapi("EventPageMeta");

export const listEventsRoute = createRoute({
  method: "get",
  path: "/events",
  operationId: "listEvents",
  tags: ["Events"],
  summary: "List events",
  ...keyOperation(
    "events:read",
    "The organization's events (kept 30 days), oldest first, after a sequence: what a client catches up with after downtime. The same events as the stream and webhooks.",
  ),
  request: { query },
  responses: {
    200: {
      description: "One page of events.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: z.object({
            success: z.literal(true),
            data: z.array(EventSchema),
            meta: EventPageMetaSchema,
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/events */
export function registerListEvents(router: PublicRouter) {
  router.openapi(listEventsRoute, async (c) => {
    const { after, types, limit } = c.req.valid("query");
    const services = c.get("services");
    const rows = await listEvents(services.db, c.get("apiKey").organizationId, {
      after,
      limit: limit + 1,
      types,
    });
    const page = rows.slice(0, limit);
    const meta = {
      limit,
      after,
      next_after: page.at(-1)?.sequence ?? after,
      has_more: rows.length > limit,
    };
    return json(c, { success: true as const, data: page.map(toPublicEvent), meta }, 200);
  });
}
