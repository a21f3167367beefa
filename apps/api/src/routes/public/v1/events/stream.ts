import {
  isApiKeyLive,
  keepStreamSlot,
  releaseStreamSlot,
  takeStreamSlot,
} from "@apf/db/queries/events";
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { errorResponses } from "../../../../openapi/components.ts";
import {
  EVENT_STREAM_RESPONSE,
  eventStreamResponse,
  LastEventIdHeaderSchema,
} from "../../../../openapi/event-stream.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { eventTypesQuery } from "./schema.ts";

/** Streams one API key may hold open at once, across instances. */
export const MAX_STREAMS_PER_KEY = 5;

export const streamEventsRoute = createRoute({
  method: "get",
  path: "/events/stream",
  operationId: "streamEvents",
  tags: ["Events"],
  summary: "Stream events (Server-Sent Events)",
  ...keyOperation(
    "events:read",
    `The organization's events as they happen, as \`text/event-stream\`. Reconnect with \`Last-Event-ID\` (EventSource does) to receive every event missed meanwhile, exactly once, then live ones. At most ${MAX_STREAMS_PER_KEY} open streams per key (429 beyond). The stream ends when its key is revoked or expires, and when the server restarts (reconnect).`,
  ),
  request: {
    query: z.object({ types: eventTypesQuery }),
    headers: LastEventIdHeaderSchema,
  },
  responses: {
    200: EVENT_STREAM_RESPONSE,
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/events/stream */
export function registerStreamEvents(router: PublicRouter) {
  router.openapi(streamEventsRoute, async (c) => {
    const { types } = c.req.valid("query");
    const lastEventId = c.req.valid("header")["last-event-id"];
    const services = c.get("services");
    const { keyId, organizationId } = c.get("apiKey");
    // A slot lives three heartbeats: a crashed instance's streams stop counting soon after.
    const ttlS = Math.max(45, Math.ceil((3 * services.events.heartbeatMs) / 1000));
    const slot = await services.db.transaction((tx) =>
      takeStreamSlot(tx, keyId, MAX_STREAMS_PER_KEY, ttlS),
    );
    if (!slot) {
      throw new ApiError(
        "RATE_LIMITED",
        `At most ${MAX_STREAMS_PER_KEY} event streams may be open at once per API key; close one before opening another.`,
        { "Retry-After": String(Math.ceil(services.events.heartbeatMs / 1000)) },
      );
    }
    return eventStreamResponse(
      c,
      services,
      {
        organizationId,
        after: lastEventId === undefined ? null : Number(lastEventId),
        types,
        // The key's revocation reaches its streams on every instance as an event.
        endsOn: (e) => e.type === "api_key.revoked" && e.data.id === keyId,
        stillAllowed: () => isApiKeyLive(services.db, keyId, services.clock.now()),
      },
      {
        onHeartbeat: () => keepStreamSlot(services.db, slot, ttlS),
        onEnd: () => releaseStreamSlot(services.db, slot),
      },
    );
  });
}
