import { lastEventSequence, listEvents, type NumberedEvent } from "@apf/db/queries/events";
import type { EventType } from "@apf/domain";
import type { Services } from "../../context.ts";

/** What one stream asks for. */
export interface StreamRequest {
  organizationId: string;
  /** Last-Event-ID: every event after it, then live ones; null: live ones from now. */
  after: number | null;
  /** Only these types (all when undefined or empty). */
  types?: readonly EventType[] | undefined;
  /** An event that ends the stream when it arrives (its key's revocation). */
  endsOn?: (event: NumberedEvent) => boolean;
  /** Checked at every heartbeat: false ends the stream (a credential expired or revoked). */
  stillAllowed(): Promise<boolean>;
}

/** Where a stream writes (the SSE response). */
export interface StreamSink {
  event(event: NumberedEvent): Promise<void>;
  comment(text: string): Promise<void>;
  /** Calls `listener` when the client went away. */
  onAbort(listener: () => void): void;
}

/** Events read per query while catching up. */
const CATCH_UP_PAGE = 200;
/** Events waiting for a slow client before its stream is ended (it resumes with Last-Event-ID). */
const MAX_QUEUED = 5000;

/**
 * Writes an organization's events to one stream: first every event after `after` from the log
 * (paced by the client), then live ones as this instance's hub hands them over, each exactly
 * once and in sequence order, with a keep-alive comment every `heartbeatMs`. Returns when the
 * client leaves, the instance shuts down, the request's credential stops being valid, or the
 * client falls too far behind.
 */
export async function pumpEvents(
  services: Pick<Services, "db" | "events">,
  request: StreamRequest,
  sink: StreamSink,
  options: { onHeartbeat?: () => Promise<void> } = {},
): Promise<void> {
  const { db, events } = services;
  let ended = false;
  let wake: (() => void) | null = null;
  const end = () => {
    ended = true;
    wake?.();
  };
  sink.onAbort(end);
  const untrack = events.track(end);
  const types = request.types && request.types.length > 0 ? new Set(request.types) : null;

  /** Writes one event; false once the stream must end. */
  const deliver = async (event: NumberedEvent) => {
    if (request.endsOn?.(event)) return false;
    if (!types || types.has(event.type)) await sink.event(event);
    return !ended;
  };

  try {
    await sink.comment("connected");
    let cursor = request.after ?? (await lastEventSequence(db, request.organizationId));
    // Only the wanted types are read, and what ends the stream.
    const readTypes = types ? [...types, "api_key.revoked" as const] : undefined;
    for (;;) {
      if (ended) return;
      const rows = await listEvents(db, request.organizationId, {
        after: cursor,
        limit: CATCH_UP_PAGE,
        types: readTypes,
      });
      for (const row of rows) {
        if (!(await deliver(row))) return;
        cursor = row.sequence;
      }
      if (rows.length < CATCH_UP_PAGE) break;
    }

    const queue: NumberedEvent[] = [];
    let overflow = false;
    const unsubscribe = events.hub.subscribe(request.organizationId, {
      cursor,
      deliver(rows) {
        queue.push(...rows);
        if (queue.length > MAX_QUEUED) overflow = true;
        wake?.();
      },
    });
    try {
      let nextBeat = Date.now() + events.heartbeatMs;
      while (!ended && !overflow) {
        if (queue.length === 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, Math.max(0, nextBeat - Date.now()));
          });
          wake = null;
          clearTimeout(timer);
        }
        while (queue.length > 0 && !ended && !overflow) {
          if (!(await deliver(queue.shift()!))) return;
        }
        if (!ended && Date.now() >= nextBeat) {
          if (!(await request.stillAllowed())) return;
          await options.onHeartbeat?.();
          await sink.comment("keep-alive");
          nextBeat = Date.now() + events.heartbeatMs;
        }
      }
    } finally {
      unsubscribe();
    }
  } finally {
    untrack();
  }
}
