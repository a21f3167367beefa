import type { createApp } from "../../src/app.ts";

type App = ReturnType<typeof createApp>;

/** One message of an event stream. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  /** Comment lines (": keep-alive"), without the colon. */
  comments: string[];
}

/** An open event stream read as EventSource would, message by message. */
export interface OpenStream {
  response: Response;
  /** The next message with an event (comments before it are kept in `comments`). */
  next(timeoutMs?: number): Promise<SseMessage & { json: Record<string, unknown> }>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  comments: string[];
  close(): Promise<void>;
}

/** Opens `path` on `app` with `headers`; parses the text/event-stream answer as it arrives. */
export async function openStream(
  app: App,
  path: string,
  headers: Record<string, string>,
): Promise<OpenStream> {
  const response = await app.request(path, {
    headers: { accept: "text/event-stream", ...headers },
  });
  const comments: string[] = [];
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let endedResolve!: () => void;
  const ended = new Promise<void>((r) => {
    endedResolve = r;
  });
  let buffer = "";
  // Only a stream is read here; an error answer stays readable by the test.
  const reader = response.status === 200 ? response.body?.getReader() : undefined;
  const decoder = new TextDecoder();
  void (async () => {
    if (!reader || response.status !== 200) return endedResolve();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const message: SseMessage = { comments: [] };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) message.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(":");
              const field = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, "");
              if (field === "data")
                message.data = (message.data ? `${message.data}\n` : "") + value;
              else if (field === "id" || field === "event") message[field] = value;
            }
          }
          if (message.event !== undefined) messages.push(message);
          else comments.push(...message.comments);
          for (const wake of waiters.splice(0)) wake();
          cut = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // cancelled
    }
    endedResolve();
    for (const wake of waiters.splice(0)) wake();
  })();
  let isEnded = false;
  void ended.then(() => {
    isEnded = true;
  });
  return {
    response,
    ended,
    comments,
    async next(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length === 0) {
        if (isEnded) throw new Error("the stream ended");
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
      const message = messages.shift()!;
      return { ...message, json: JSON.parse(message.data ?? "null") };
    },
    async close() {
      await reader?.cancel().catch(() => {});
    },
  };
}
