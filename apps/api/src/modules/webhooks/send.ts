import http from "node:http";
import https from "node:https";
import { DestinationRefused, resolveDestination } from "./destination.ts";

/** A receiver's answer is kept to this many bytes. */
export const RESPONSE_LIMIT_BYTES = 1024;
/** An attempt without a complete answer within this long failed. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** What one POST came to. */
export interface SendResult {
  /** The receiver's status; null when none came (refused, timed out, unreachable). */
  httpStatus: number | null;
  durationMs: number;
  /** The first 1 KiB of the answer's body. */
  response: string | null;
  error: string | null;
}

/**
 * POSTs `body` to `url` once: the host is resolved and checked now (destination.ts) and the
 * connection goes to exactly that address (a name re-bound between check and connect changes
 * nothing); no redirect is followed; the answer is read up to 1 KiB; the whole exchange may take
 * `timeoutMs`.
 */
export async function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<SendResult> {
  const started = Date.now();
  const took = () => Date.now() - started;
  let address: { address: string; family: 4 | 6 };
  try {
    address = await resolveDestination(url.hostname, options.allowPrivate);
  } catch (error) {
    const message = error instanceof DestinationRefused ? error.message : String(error);
    return { httpStatus: null, durationMs: took(), response: null, error: `refused: ${message}` };
  }
  const secure = url.protocol === "https:";
  const payload = Buffer.from(body, "utf8");
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: took() });
    };
    const request = (secure ? https : http).request(
      {
        host: address.address,
        family: address.family,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "POST",
        // TLS is checked against the URL's host name, not the address.
        servername: secure && !url.hostname.startsWith("[") ? url.hostname : undefined,
        headers: {
          ...headers,
          host: url.host,
          "content-length": String(payload.length),
        },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT_BYTES).toString("utf8");
          finish({ httpStatus: response.statusCode ?? null, response: text, error: null });
          request.destroy();
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_LIMIT_BYTES) done();
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({
        httpStatus: null,
        response: null,
        error: `no answer within ${Math.round((options.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000)} s`,
      });
      request.destroy();
    }, options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    request.on("error", (error) => {
      finish({ httpStatus: null, response: null, error: error.message });
    });
    request.end(payload);
  });
}
