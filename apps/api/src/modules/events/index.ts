import { takeSweepTurn } from "@apf/db/queries/sweep-turns";
import type { Services } from "../../context.ts";
import { SWEEP_TURN_SHARE } from "../../platform/sweep-turn.ts";
import { createEventHub, type EventHub } from "./hub.ts";
import { createRelay, EVENT_LOG_TABLE, type Relay } from "./relay.ts";
import { sweepEvents } from "./sweep.ts";

/** The event log's moving parts on one instance. */
export interface EventLog {
  /** Numbers committed events (one pass at a time across instances). */
  relay: Relay;
  /** Hands numbered events to this instance's open streams. */
  hub: EventHub;
  /** Milliseconds between a stream's keep-alive comments (15 s; tests shorten it). */
  heartbeatMs: number;
  /** Registers an open stream's `end`, called at shutdown; returns the unregister. */
  track(end: () => void): () => void;
  /** Ends every open stream of this instance (shutdown: clients reconnect elsewhere). */
  endStreams(): void;
  /** One sweep now (staleness, retention). */
  sweepOnce(): Promise<void>;
  close(): Promise<void>;
}

export interface EventLogOptions {
  heartbeatMs?: number;
  /** How often the staleness and retention sweep runs (default 5 s). */
  sweepMs?: number;
  /** The relay's backstop poll (default 1 s). */
  relayPollMs?: number;
}

type EventLogServices = Pick<
  Services,
  "db" | "logger" | "orgChanges" | "clock" | "config" | "webhooks"
>;

/**
 * The relay, the stream hub and the sweep, wired to the organization-change doorbell: an
 * inserted event wakes the relay, a numbered one the hub. Timers back both up.
 */
export function createEventLog(
  services: EventLogServices,
  options: EventLogOptions = {},
): EventLog {
  const relay = createRelay(services, { pollMs: options.relayPollMs });
  const hub = createEventHub(services);
  const streams = new Set<() => void>();
  let closed = false;
  let ending = false;

  const unsubscribe = services.orgChanges.onChange((table: string, organizationId) => {
    if (table === "events") relay.wake();
    else if (table === EVENT_LOG_TABLE) hub.wake(organizationId);
  });

  let sweeping: Promise<void> | null = null;
  const sweepOnce = () => {
    sweeping ??= sweepEvents(services)
      .catch((error: unknown) => {
        services.logger.warn({ err: error }, "events sweep failed; trying again at the next one");
      })
      .finally(() => {
        sweeping = null;
      });
    return sweeping;
  };
  const sweepMs = options.sweepMs ?? 5000;
  const sweepTimer = setInterval(() => {
    if (closed) return;
    // Once a period across instances: whoever's timer fires first takes the turn.
    takeSweepTurn(services.db, "events", sweepMs * SWEEP_TURN_SHARE)
      .then((mine) => (mine && !closed ? sweepOnce() : undefined))
      .catch((error: unknown) => {
        services.logger.warn({ err: error }, "events sweep failed; trying again at the next one");
      });
  }, sweepMs);
  sweepTimer.unref();
  // Doorbells can be lost (a LISTEN connection that dropped): streams look again anyway.
  const backstop = setInterval(() => hub.wakeAll(), 5000);
  backstop.unref();

  const endStreams = () => {
    ending = true;
    for (const end of [...streams]) end();
  };
  return {
    relay,
    hub,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    track(end) {
      // A stream opened while shutting down ends at once.
      if (ending) queueMicrotask(end);
      streams.add(end);
      return () => streams.delete(end);
    },
    endStreams,
    sweepOnce,
    async close() {
      closed = true;
      clearInterval(sweepTimer);
      clearInterval(backstop);
      unsubscribe();
      endStreams();
      await sweeping;
      await relay.close();
      await hub.close();
    },
  };
}
