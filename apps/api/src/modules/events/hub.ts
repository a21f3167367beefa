import type { Database } from "@apf/db";
import { listEvents, type NumberedEvent } from "@apf/db/queries/events";
import type { Logger } from "pino";

/** One live reader of an organization's events (a stream). */
export interface HubSubscriber {
  /** The last event number this subscriber has; only later ones are delivered. */
  cursor: number;
  /** Called with consecutive events after `cursor`, in order (the hub then advances `cursor`). */
  deliver(events: readonly NumberedEvent[]): void;
}

export interface EventHub {
  /** Delivers the organization's events after `subscriber.cursor` from now on. Returns the unsubscribe. */
  subscribe(organizationId: string, subscriber: HubSubscriber): () => void;
  /** The organization's events were numbered further (the doorbell): read and deliver them. */
  wake(organizationId: string): void;
  /** Wakes every organization with subscribers (the backstop when notifications may be lost). */
  wakeAll(): void;
  /** Subscribers on this instance. */
  readonly size: number;
  close(): Promise<void>;
}

/** Events read per query while fanning out. */
const PAGE = 500;

/**
 * The instance's fan-out of numbered events to its open streams: per organization, one read of
 * the log per doorbell ring, from the lowest cursor of its subscribers, handed to each in order.
 * Numbered events form a gap-free prefix (relay.ts), so each subscriber gets every event after its
 * cursor exactly once, whatever instance wrote or numbered it.
 */
export function createEventHub(deps: { db: Database; logger: Logger }): EventHub {
  const orgs = new Map<
    string,
    { subscribers: Set<HubSubscriber>; running: Promise<void> | null; again: boolean }
  >();
  let size = 0;
  let closed = false;

  async function drain(organizationId: string) {
    const org = orgs.get(organizationId);
    if (!org) return;
    for (;;) {
      org.again = false;
      if (org.subscribers.size === 0 || closed) return;
      let after = Number.POSITIVE_INFINITY;
      for (const s of org.subscribers) after = Math.min(after, s.cursor);
      const rows = await listEvents(deps.db, organizationId, { after, limit: PAGE });
      for (const s of [...org.subscribers]) {
        const fresh = rows.filter((r) => r.sequence > s.cursor);
        if (fresh.length === 0) continue;
        s.cursor = fresh[fresh.length - 1]!.sequence;
        try {
          s.deliver(fresh);
        } catch (error) {
          deps.logger.warn({ err: String(error) }, "an event subscriber failed");
        }
      }
      if (rows.length < PAGE && !org.again) return;
    }
  }

  function wake(organizationId: string) {
    const org = orgs.get(organizationId);
    if (!org || closed) return;
    if (org.running) {
      org.again = true;
      return;
    }
    org.running = drain(organizationId)
      .catch((error: unknown) => {
        deps.logger.warn(
          { err: error },
          "reading new events for streams failed; trying again at the next ring",
        );
      })
      .finally(() => {
        org.running = null;
        if (org.again) wake(organizationId);
        else if (org.subscribers.size === 0) orgs.delete(organizationId);
      });
  }

  return {
    get size() {
      return size;
    },
    subscribe(organizationId, subscriber) {
      let org = orgs.get(organizationId);
      if (!org) {
        org = { subscribers: new Set(), running: null, again: false };
        orgs.set(organizationId, org);
      }
      org.subscribers.add(subscriber);
      size++;
      // Whatever was numbered between the subscriber's last read and now.
      wake(organizationId);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        size--;
        const current = orgs.get(organizationId);
        current?.subscribers.delete(subscriber);
        if (current && current.subscribers.size === 0 && !current.running) {
          orgs.delete(organizationId);
        }
      };
    },
    wake,
    wakeAll() {
      for (const organizationId of orgs.keys()) wake(organizationId);
    },
    async close() {
      closed = true;
      await Promise.all([...orgs.values()].map((o) => o.running));
    },
  };
}
