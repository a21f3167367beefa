import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv, Services } from "../context.ts";
import { pumpEvents, type StreamRequest } from "../modules/events/stream.ts";
import { eventJson } from "../routes/public/v1/events/schema.ts";

/** `Last-Event-ID`: what EventSource sends by itself when it reconnects. */
export const LastEventIdHeaderSchema = z.object({
  "last-event-id": z
    .string()
    .regex(/^\d{1,13}$/, "must be the sequence of an event (a whole number)")
    .optional()
    .openapi({
      description:
        "Resume after this event: every event after it (within the 30 days kept) comes first, then live ones. Without it the stream starts with the next event.",
      example: "42",
    }),
});

/** The 200 answer of an event stream, for `responses`. */
export const EVENT_STREAM_RESPONSE = {
  description:
    "Server-Sent Events: each event as `id: <sequence>`, `event: <type>`, `data: <Event JSON>`; a comment line (`: keep-alive`) every 15 s. An event reaches every open stream within a second of its commit, whatever instance made it.",
  content: {
    "text/event-stream": {
      schema: z.string().openapi({
        example:
          'id: 42\nevent: job.completed\ndata: {"id":"evt_…","sequence":42,"type":"job.completed",…}\n\n',
      }),
    },
  },
};

/**
 * Answers with an event stream of `request` (modules/events/stream.ts), as `text/event-stream`.
 * `onEnd` runs once the stream is over, however it ended.
 */
export function eventStreamResponse<E extends AppEnv>(
  c: Context<E>,
  services: Pick<Services, "db" | "events" | "logger">,
  request: StreamRequest,
  hooks: { onHeartbeat?: () => Promise<void>; onEnd?: () => Promise<void> } = {},
): Response {
  // Proxies that buffer (nginx) pass the events on as they come.
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    try {
      await pumpEvents(
        services,
        request,
        {
          event: (e) =>
            stream.writeSSE({ id: String(e.sequence), event: e.type, data: eventJson(e) }),
          comment: async (text) => {
            await stream.write(`: ${text}\n\n`);
          },
          onAbort: (listener) => stream.onAbort(listener),
        },
        { onHeartbeat: hooks.onHeartbeat },
      );
    } catch (error) {
      services.logger.warn(
        { err: error },
        "an event stream failed; the client resumes with Last-Event-ID",
      );
    } finally {
      await hooks.onEnd?.().catch(() => {});
    }
  });
}
