import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
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
  fetch: typeof globalThis.fetch;
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

/**
 * `POST /api/files/local` (multipart `file`, `path=apf`, `select=true`, `print=true`) with a
 * `Content-Length` known up front: the frame's bytes plus the file's size, the file streamed in
 * between. OctoPrint answers `201` also when it did not start the print; only
 * `effectivePrint: true` counts as started. Never throws.
 */
export async function uploadToOctoPrint(options: UploadOptions): Promise<UploadResult> {
  const boundary = `----apf-agent-${randomBytes(12).toString("hex")}`;
  const { head, tail } = multipartFrame(options.name, boundary);
  const total = head.length + options.size + tail.length;
  const stall = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new Error("stalled")), options.stallMs);
  };
  const signal = options.signal ? AbortSignal.any([stall.signal, options.signal]) : stall.signal;
  let sent = 0;
  const { file, size, onBytes } = options;
  async function* body(): AsyncGenerator<Uint8Array> {
    yield head;
    sent += head.length;
    let position = 0;
    // Reads by position so the stream never owns (or closes) the caller's file handle.
    const buffer = Buffer.allocUnsafe(64 * 1024);
    while (position < size) {
      const { bytesRead } = await file.read(
        buffer,
        0,
        Math.min(buffer.length, size - position),
        position,
      );
      if (bytesRead === 0) throw new Error("the file is shorter than its size");
      position += bytesRead;
      sent += bytesRead;
      kick();
      onBytes(sent, total);
      yield Buffer.from(buffer.subarray(0, bytesRead));
    }
    yield tail;
    sent += tail.length;
    kick();
    onBytes(sent, total);
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    "x-api-key": options.apiKey,
    "content-type": `multipart/form-data; boundary=${boundary}`,
    "content-length": String(total),
  };
  const basic = basicAuthHeader(options.baseUrl);
  if (basic) headers.authorization = basic;
  kick();
  try {
    const response = await options.fetch(joinUrl(options.baseUrl, "/api/files/local"), {
      method: "POST",
      headers,
      body: pullStream(body()),
      duplex: "half",
      redirect: "manual",
      signal,
    } as RequestInit);
    const text = await response.text();
    return readAnswer(response.status, text);
  } catch (error) {
    const reason = stall.signal.aborted
      ? `no progress for ${options.stallMs / 1000} s`
      : describeFailure(error, options.stallMs).message;
    return { ok: false, status: null, error: `OctoPrint upload failed: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A web stream that reads the next chunk only when fetch asks for it, so the file is read as fast
 * as the network takes it (Node 20's `Readable.toWeb` reads ahead without limit).
 */
function pullStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
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
