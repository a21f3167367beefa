import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A local HTTP receiver answering the statuses it is told, in order (then 200). */
export async function startReceiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const waiters: (() => void)[] = [];
  const held: http.ServerResponse[] = [];
  let holding = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(",") : (v ?? ""),
          ]),
        ),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      if (holding > 0) {
        // Never answered: the sender waits until it gives up (or dies).
        holding--;
        held.push(res);
        for (const wake of waiters.splice(0)) wake();
        return;
      }
      const status = answers.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "ok" : `answer ${status} ${"x".repeat(3000)}`);
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Statuses for the next requests. */
    answer(...statuses: number[]) {
      answers.push(...statuses);
    },
    /** Leaves the next `count` requests unanswered (until close). */
    hold(count: number) {
      holding += count;
    },
    /** Answers the held requests now (200). */
    release() {
      for (const res of held.splice(0)) res.writeHead(200).end("ok");
    },
    /** Resolves once `count` requests arrived (or rejects after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`only ${received.length} of ${count} requests arrived`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, left);
        });
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.close(() => resolve());
      }),
  };
}
