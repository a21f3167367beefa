import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** What a LISTEN subscriber is told. */
export interface ChannelHandlers {
  /** One NOTIFY payload, in commit order. */
  message(payload: string): void;
  /** LISTEN is in place (at first and after every reconnect): notifications flow from now on. */
  listening(): void;
  /** The connection is gone: notifications may be missed until `listening` is called again. */
  lost(error: unknown): void;
}

export interface ChannelSubscription {
  close(): Promise<void>;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * LISTENs on `channel` over a connection of its own (a pool's connections are shared and
 * released, so they cannot hold a LISTEN), reconnecting with backoff while the database is away.
 */
export function listenPostgres(
  url: string,
  channel: string,
  handlers: ChannelHandlers,
  connectTimeoutMs = 5000,
): ChannelSubscription {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (closed) return;
    timer = setTimeout(connect, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  async function connect() {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    let gone = false;
    const drop = (error: unknown) => {
      if (gone) return;
      gone = true;
      if (client === c) client = null;
      c.end().catch(() => {});
      handlers.lost(error);
      retry();
    };
    c.on("notification", (m) => {
      if (m.channel === channel) handlers.message(m.payload ?? "");
    });
    c.on("error", drop);
    c.on("end", () => drop(new Error("the LISTEN connection ended")));
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed || gone) {
      if (!gone) c.end().catch(() => {});
      return;
    }
    client = c;
    retryMs = RETRY_MIN_MS;
    handlers.listening();
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      c?.removeAllListeners("end");
      c?.removeAllListeners("error");
      c?.on("error", () => {});
      await c?.end().catch(() => {});
    },
  };
}

/** LISTEN on embedded PGlite: one in-process connection, so nothing can be lost. */
export function listenPglite(
  client: PGlite,
  channel: string,
  handlers: ChannelHandlers,
): ChannelSubscription {
  const subscribed = client.listen(channel, handlers.message).then((unlisten) => {
    handlers.listening();
    return unlisten;
  });
  subscribed.catch(handlers.lost);
  return {
    async close() {
      const unlisten = await subscribed.catch(() => null);
      if (unlisten && !client.closed) await unlisten().catch(() => {});
    },
  };
}
