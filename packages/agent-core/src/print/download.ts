import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describeFailure } from "@apf/printers/octoprint/client";
import type { paths } from "../api/agent-client.ts";
import { readEnvelope } from "../backend-answer.ts";

/** What a download came to; `error` is the sentence the backend will show on the job. */
export type DownloadResult = { ok: true } | { ok: false; error: string; status: number | null };

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  url: URL;
  /** Sent only to the backend's origin, never to a storage service it redirects to. */
  authorization: string;
  userAgent: string;
  /** Where the bytes go (a fresh file). */
  dest: string;
  expectedSize: number;
  expectedSha256: string;
  fetch: typeof globalThis.fetch;
  /** Abort when no byte arrives for this long (headers included). */
  stallMs: number;
  onBytes: (received: number) => void;
  signal?: AbortSignal;
}

const MAX_REDIRECTS = 3;

/**
 * The route a print command's `file.url` points at (`GET /agent/v1/files/{token}`). The download
 * stays on plain fetch rather than the openapi-fetch client (which could stream it with
 * `parseAs: "stream"`): the agent never builds this path from a token, it follows the link the
 * backend signed, as given, so the backend may move or re-sign links without a new agent; and
 * after a redirect the next hop is a storage service outside the agent API, where the client's
 * base URL and paths do not apply and the agent token must not go. The answers are the
 * document's: 200 with the bytes, else the error envelope.
 */
type FileDownload = paths["/files/{token}"]["get"];
const BYTES: keyof FileDownload["responses"] = 200;

class TooLarge extends Error {}

/**
 * Streams a print file to `dest` in constant memory, hashing it on the way, and checks size and
 * SHA-256: a mismatch is a failure starting with `CHECKSUM_MISMATCH`. The body is cut off as soon
 * as it passes the expected size. Never throws.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const stall = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new Error("stalled")), options.stallMs);
  };
  const signal = options.signal ? AbortSignal.any([stall.signal, options.signal]) : stall.signal;
  kick();
  try {
    let url = options.url;
    let response: Response | undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const sameOrigin = url.origin === options.url.origin;
      response = await options.fetch(url, {
        headers: {
          "user-agent": options.userAgent,
          ...(sameOrigin ? { authorization: options.authorization } : {}),
        },
        redirect: "manual",
        signal,
      });
      const location = response.headers.get("location");
      if (response.status < 300 || response.status > 399 || !location) break;
      await response.body?.cancel();
      url = new URL(location, url);
      kick();
    }
    if (!response) return { ok: false, status: null, error: "DOWNLOAD_FAILED: no answer" };
    if (response.status !== BYTES || !response.body) {
      const { code, error } = readEnvelope(await response.text().catch(() => ""));
      const detail = [code, error].filter(Boolean).join(": ");
      return {
        ok: false,
        status: response.status,
        error: `DOWNLOAD_FAILED: backend answered HTTP ${response.status}${detail ? ` (${detail})` : ""}`,
      };
    }
    const hash = createHash("sha256");
    let received = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > options.expectedSize) {
          done(new TooLarge());
          return;
        }
        kick();
        hash.update(chunk);
        options.onBytes(received);
        done(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
      count,
      createWriteStream(options.dest, { flags: "wx", mode: 0o600 }),
    );
    if (received !== options.expectedSize) {
      return {
        ok: false,
        status: 200,
        error: `CHECKSUM_MISMATCH: expected ${options.expectedSize} bytes, received ${received}`,
      };
    }
    const sha256 = hash.digest("hex");
    if (sha256 !== options.expectedSha256) {
      return {
        ok: false,
        status: 200,
        error: `CHECKSUM_MISMATCH: expected SHA-256 ${options.expectedSha256}, received ${sha256}`,
      };
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof TooLarge) {
      return {
        ok: false,
        status: 200,
        error: `CHECKSUM_MISMATCH: expected ${options.expectedSize} bytes, received more`,
      };
    }
    if (stall.signal.aborted) {
      return {
        ok: false,
        status: null,
        error: `DOWNLOAD_FAILED: no data for ${options.stallMs / 1000} s`,
      };
    }
    return {
      ok: false,
      status: null,
      error: `DOWNLOAD_FAILED: ${describeFailure(error, options.stallMs).message}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
