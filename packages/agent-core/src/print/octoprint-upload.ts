import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import {
  basicAuthHeader,
  describeFailure,
  joinUrl,
  octoprintReason,
} from "@apf/printers/octoprint/client";

/** The folder of OctoPrint's local storage the agent stores print files in. */
export const OCTOPRINT_FOLDER = "apf";

/** What `POST /api/files/local` came to. */
export type UploadResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

/** Options of {@link uploadToOctoPrint}. */
export interface UploadOptions {
  baseUrl: string;
  apiKey: string;
  /** The file, opened for reading; read from its start, never loaded whole. */
  file: FileHandle;
  size: number;
  /** Name on OctoPrint, without folder. */
  name: string;
  /** Abort when the upload makes no progress, or OctoPrint does not answer, for this long. */
  stallMs: number;
  onBytes: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/** The multipart body around the file's bytes: fields, the file part's head, the closing line. */
export function multipartFrame(name: string, boundary: string): { head: Buffer; tail: Buffer } {
  const field = (key: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  const head =
    field("path", OCTOPRINT_FOLDER) +
    field("select", "true") +
    field("print", "true") +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  return { head: Buffer.from(head, "utf8"), tail: Buffer.from(`\r\n--${boundary}--\r\n`, "utf8") };
}

const NOT_STARTED = "OctoPrint stored the file but did not start it: printer not ready";
/** Bytes of the file read (and sent) at a time. */
export const UPLOAD_CHUNK_BYTES = 64 * 1024;
/** OctoPrint's answer is a small JSON document; more than this is not read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * `POST /api/files/local` (multipart `file`, `path=apf`, `select=true`, `print=true`) with a
 * `Content-Length` known up front: the frame's bytes plus the file's size, the file sent in
 * between from disk. One buffer of UPLOAD_CHUNK_BYTES carries the whole file: it is filled
 * again only once the socket has taken its bytes, so the upload costs the same memory whatever
 * the file's size and allocates nothing per chunk. (node:http, not fetch: undici's fetch holds
 * a streamed request body's chunks, which grew the agent by the file's size.) OctoPrint answers
 * `201` also when it did not start the print; only `effectivePrint: true` counts as started.
 * Never throws.
 */
export async function uploadToOctoPrint(options: UploadOptions): Promise<UploadResult> {
  const boundary = `----apf-agent-${randomBytes(12).toString("hex")}`;
  const { head, tail } = multipartFrame(options.name, boundary);
  const total = head.length + options.size + tail.length;
  const headers: Record<string, string> = {
    accept: "application/json",
    "x-api-key": options.apiKey,
    "content-type": `multipart/form-data; boundary=${boundary}`,
    "content-length": String(total),
  };
  const basic = basicAuthHeader(options.baseUrl);
  if (basic) headers.authorization = basic;
  const url = new URL(joinUrl(options.baseUrl, "/api/files/local"));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const req = send(url, { method: "POST", headers });

  let timer: NodeJS.Timeout | undefined;
  let stalled = false;
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      req.destroy(new Error("stalled"));
    }, options.stallMs);
  };
  const abort = () => req.destroy(options.signal?.reason ?? new Error("aborted"));
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) abort();

  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on("error", reject);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on("data", (chunk: Buffer) => {
        kick();
        if (length < MAX_ANSWER_BYTES) chunks.push(chunk);
        length += chunk.length;
      });
      res.on("error", reject);
      res.once("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
    });
  });
  kick();
  let bodySent = false;
  const sending = sendBody(req, options, head, tail, total, kick).then(() => {
    bodySent = true;
  });
  // A failure of the body destroys the request: the answer's promise reports it.
  sending.catch(() => undefined);
  try {
    const { status, text } = await answer;
    // OctoPrint answered before the whole body went (a refusal): stop sending it.
    if (!bodySent) req.destroy();
    return readAnswer(status, text);
  } catch (error) {
    const reason = stalled
      ? `no progress for ${options.stallMs / 1000} s`
      : // node:http's errors carry their code themselves, fetch's under `cause`.
        describeFailure({ cause: error }, options.stallMs).message;
    return { ok: false, status: null, error: `OctoPrint upload failed: ${reason}` };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abort);
  }
}

/** Writes the frame and the file into the request, one chunk in flight at a time. */
async function sendBody(
  req: ClientRequest,
  options: UploadOptions,
  head: Buffer,
  tail: Buffer,
  total: number,
  kick: () => void,
): Promise<void> {
  const { file, size, onBytes } = options;
  let sent = 0;
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      // The callback runs once the socket took the bytes: the buffer may then be filled again.
      req.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  try {
    await write(head);
    sent += head.length;
    // Reads by position so the stream never owns (or closes) the caller's file handle.
    const buffer = Buffer.allocUnsafe(Math.min(UPLOAD_CHUNK_BYTES, Math.max(size, 1)));
    let position = 0;
    while (position < size) {
      const { bytesRead } = await file.read(
        buffer,
        0,
        Math.min(buffer.length, size - position),
        position,
      );
      if (bytesRead === 0) throw new Error("the file is shorter than its size");
      await write(buffer.subarray(0, bytesRead));
      position += bytesRead;
      sent += bytesRead;
      kick();
      onBytes(sent, total);
    }
    await write(tail);
    sent += tail.length;
    req.end();
    kick();
    onBytes(sent, total);
  } catch (error) {
    req.destroy(error as Error);
    throw error;
  }
}

/** Maps OctoPrint's answer to the upload to a result, keeping OctoPrint's own words. */
export function readAnswer(status: number, text: string): UploadResult {
  if (status === 201 || status === 200) {
    let effectivePrint: unknown;
    try {
      effectivePrint = (JSON.parse(text) as { effectivePrint?: unknown }).effectivePrint;
    } catch {
      return {
        ok: false,
        status,
        error: `OctoPrint answered HTTP ${status} with a body that is not JSON`,
      };
    }
    return effectivePrint === true
      ? { ok: true, status }
      : { ok: false, status, error: NOT_STARTED };
  }
  const reason = octoprintReason(text) || htmlTitle(text);
  if (status === 401 || status === 403) {
    return {
      ok: false,
      status,
      error: `OctoPrint refused the upload (HTTP ${status}${reason ? `: ${reason}` : ""}): the API key needs the file upload and print permissions`,
    };
  }
  return {
    ok: false,
    status,
    error: `OctoPrint answered HTTP ${status}${reason ? `: ${reason}` : ""}`,
  };
}

function htmlTitle(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title ? title.slice(0, 200) : "";
}
