import { isMemberSessionLive } from "@apf/db/queries/events";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import {
  EVENT_STREAM_RESPONSE,
  eventStreamResponse,
  LastEventIdHeaderSchema,
} from "../../../openapi/event-stream.ts";
import { errors, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { eventTypesQuery } from "../../public/v1/events/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/events/stream",
  operationId: "dashboardStreamEvents",
  tags: TAGS,
  summary: "The organization's events as they happen (any member)",
  description:
    "The same stream as GET /public/v1/events/stream, with the session: `text/event-stream`, resumed with `Last-Event-ID`. Ends when the session ends or the user leaves the organization.",
  security: SESSION_SECURITY,
  request: {
    params: orgParams,
    query: z.object({ types: eventTypesQuery }),
    headers: LastEventIdHeaderSchema,
  },
  responses: {
    200: EVENT_STREAM_RESPONSE,
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { types } = c.req.valid("query");
  const lastEventId = c.req.valid("header")["last-event-id"];
  const services = c.get("services");
  const { organizationId } = c.get("org");
  const session = c.get("session");
  return eventStreamResponse(c, services, {
    organizationId,
    after: lastEventId === undefined ? null : Number(lastEventId),
    types,
    stillAllowed: () =>
      isMemberSessionLive(services.db, session, organizationId, services.clock.now()),
  });
};
