import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * Wake-ups between API instances: "this agent has commands" and "this command has a result".
 * A message carries no data, only a topic; whoever wakes reads the database, which stays the one
 * source of truth. A lost message therefore only costs latency: waiters also re-read on a timer.
 */
export interface CommandBus {
  readonly kind: "redis" | "in-process";
  /** Wakes every listener of `topic`, on every instance. Never rejects. */
  publish(topic: string): Promise<void>;
  /** Calls `listener` on each publish of `topic`; returns the unsubscribe. */
  subscribe(topic: string, listener: () => void): () => void;
  /** Resolves once messages from other instances arrive (at once in process). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The topic an agent's long poll listens on: commands are pending, or its token was revoked. */
export const agentTopic = (agentId: string) => `agent:${agentId}`;
/** The topic a waiting control request listens on: the command's status changed. */
export const commandTopic = (commandId: string) => `command:${commandId}`;

class LocalTopics {
  private readonly listeners = new Map<string, Set<() => void>>();

  subscribe(topic: string, listener: () => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  deliver(topic: string): void {
    for (const listener of [...(this.listeners.get(topic) ?? [])]) listener();
  }
}

/** One process only: the embedded default, where there is exactly one instance. */
export function createInProcessBus(): CommandBus {
  const topics = new LocalTopics();
  return {
    kind: "in-process",
    async publish(topic) {
      queueMicrotask(() => topics.deliver(topic));
    },
    subscribe: (topic, listener) => topics.subscribe(topic, listener),
    async ready() {},
    async close() {},
  };
}

/**
 * Across instances through Redis pub/sub on one channel. Local listeners are woken at once (also
 * while Redis is down); other instances through Redis, which ignore what they published themselves.
 */
export function createRedisBus(
  redis: Redis,
  options: { channel: string; logger: Logger },
): CommandBus {
  const topics = new LocalTopics();
  const self = randomBytes(8).toString("hex");
  // A subscribed connection can do nothing else; it queues while disconnected and resubscribes.
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on("error", () => {});
  subscriber.on("message", (_channel: string, message: string) => {
    const space = message.indexOf(" ");
    if (space < 0 || message.slice(0, space) === self) return;
    topics.deliver(message.slice(space + 1));
  });
  const subscribed = subscriber.subscribe(options.channel).then(
    () => undefined,
    (error: Error) => {
      options.logger.warn(
        { err: error.message },
        "command bus cannot subscribe; relying on re-reads",
      );
    },
  );
  return {
    kind: "redis",
    async publish(topic) {
      queueMicrotask(() => topics.deliver(topic));
      try {
        await redis.publish(options.channel, `${self} ${topic}`);
      } catch (error) {
        options.logger.warn(
          { err: (error as Error).message, topic },
          "command bus publish failed; other instances notice on their next re-read",
        );
      }
    },
    subscribe: (topic, listener) => topics.subscribe(topic, listener),
    ready: () => subscribed,
    async close() {
      subscriber.disconnect();
    },
  };
}
