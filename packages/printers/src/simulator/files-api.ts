import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { PRINTABLE_EXTENSIONS } from "@apf/domain";
import type { UploadedFile, UploadedFiles } from "./uploaded-files.ts";
import type { VirtualPrinter } from "./virtual-printer.ts";

/** How a host prints what it receives through `POST /api/files/local`. */
export interface UploadSettings {
  /** Multiplies the slicer's estimate (0.01 turns an hour into 36 s for a demo); default 1. */
  timeScale: number;
  /** Printing seconds of a file whose comments give no estimate, before scaling; default 60. */
  defaultPrintS: number;
  /** Heat-up seconds before the first layer; default 10. */
  heatS: number;
  /** Largest accepted upload; default 64 MiB (OctoPrint answers 413 past its own limit). */
  maxUploadBytes: number;
}

export const DEFAULT_UPLOAD_SETTINGS: UploadSettings = {
  timeScale: 1,
  defaultPrintS: 60,
  heatS: 10,
  maxUploadBytes: 64 * 1024 * 1024,
};

/** An answer of the files API; `html` is sent as text/html instead of JSON. */
export type FilesReply = {
  status: number;
  body?: unknown;
  html?: string;
  headers?: Record<string, string>;
};

export interface FilesContext {
  printer: VirtualPrinter;
  uploads: UploadedFiles;
  settings: UploadSettings;
  baseUrl: () => string;
}

// Tornado's error page, which is what OctoPrint's upload front end answers a body of unknown length.
const LENGTH_REQUIRED =
  "<html><title>411: Length Required</title><body>411: Length Required</body></html>";
const TRUE_VALUES = new Set(["true", "yes", "y", "1"]);
const NO_FILE = "No file to upload and no folder to create";

function refs(ctx: FilesContext, path: string) {
  const base = ctx.baseUrl();
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return {
    resource: `${base}/api/files/local/${encoded}`,
    download: `${base}/downloads/files/local/${encoded}`,
  };
}

/** `POST /api/files/local` as OctoPrint 1.10 answers it (server/api/files.py uploadGcodeFile). */
export async function uploadFile(
  ctx: FilesContext,
  req: IncomingMessage,
  t: number,
): Promise<FilesReply> {
  const length = req.headers["content-length"];
  if (length === undefined) {
    req.resume();
    return { status: 411, html: LENGTH_REQUIRED, headers: { Connection: "close" } };
  }
  if (Number(length) > ctx.settings.maxUploadBytes) {
    req.resume();
    return {
      status: 413,
      body: { error: "Request entity too large" },
      headers: { Connection: "close" },
    };
  }
  let form: FormData;
  try {
    form = await new Request("http://simulator.invalid/", {
      method: "POST",
      headers: { "content-type": req.headers["content-type"] ?? "" },
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit).formData();
  } catch {
    return { status: 400, body: { error: NO_FILE } };
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) return { status: 400, body: { error: NO_FILE } };

  const value = (key: string) => {
    const v = form.get(key);
    return typeof v === "string" ? v : null;
  };
  const ready = ctx.printer.isReady();
  const toSelect = TRUE_VALUES.has(value("select") ?? "") && ready;
  const toPrint = TRUE_VALUES.has(value("print") ?? "") && ready;

  const name = (value("filename") ?? (file as File).name ?? "").split("/").pop()?.trim() ?? "";
  if (!name) return { status: 400, body: { error: "Can not upload file, invalid file name" } };
  const folder = (value("path") ?? "").replace(/^\/+|\/+$/g, "");
  const path = folder ? `${folder}/${name}` : name;

  if (ctx.printer.isPrintingFile(path)) {
    return {
      status: 409,
      body: { error: "Trying to overwrite file that is currently being printed" },
    };
  }
  const lower = name.toLowerCase();
  if (!PRINTABLE_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    return { status: 415, body: { error: "Could not upload file, invalid type" } };
  }

  const bytes = Buffer.from(await file.arrayBuffer());
  const selected = ctx.printer.run?.fileName ?? null;
  const stored = ctx.uploads.put(path, bytes, t, selected);
  if (toSelect || toPrint) {
    const s = ctx.settings;
    const options = {
      durationS: Math.max(0.001, (stored.estimatedPrintS ?? s.defaultPrintS) * s.timeScale),
      heatS: s.heatS * s.timeScale,
      sizeBytes: stored.size,
      fileDate: stored.date * 1000,
    };
    if (toPrint) ctx.printer.startPrint(path, options);
    else ctx.printer.selectFile(path, options);
  }
  const fileRefs = refs(ctx, path);
  return {
    status: 201,
    headers: { Location: fileRefs.resource },
    body: {
      done: true,
      effectivePrint: toPrint,
      effectiveSelect: toSelect || toPrint,
      files: { local: { name, origin: "local", path, refs: fileRefs } },
    },
  };
}

function entry(ctx: FilesContext, file: UploadedFile) {
  const entryBody: Record<string, unknown> = {
    date: file.date,
    display: file.name,
    hash: file.hash,
    name: file.name,
    origin: "local",
    path: file.path,
    refs: refs(ctx, file.path),
    size: file.size,
    type: "machinecode",
    typePath: ["machinecode", "gcode"],
  };
  if (file.estimatedPrintS !== null) {
    entryBody.gcodeAnalysis = { estimatedPrintTime: file.estimatedPrintS };
  }
  return entryBody;
}

/** `GET /api/files` and `GET /api/files/local`: folders with their files, as `recursive=true`. */
export function listFiles(ctx: FilesContext): FilesReply {
  const top: Record<string, unknown>[] = [];
  const folders = new Map<string, Record<string, unknown>[]>();
  for (const file of ctx.uploads.list()) {
    const slash = file.path.lastIndexOf("/");
    if (slash < 0) {
      top.push(entry(ctx, file));
      continue;
    }
    const folder = file.path.slice(0, slash);
    const children = folders.get(folder) ?? [];
    children.push(entry(ctx, file));
    folders.set(folder, children);
  }
  for (const [folder, children] of folders) {
    top.push({
      children,
      display: folder,
      name: folder.split("/").pop() ?? folder,
      origin: "local",
      path: folder,
      refs: { resource: refs(ctx, folder).resource },
      size: children.reduce((sum, c) => sum + (c.size as number), 0),
      type: "folder",
      typePath: ["folder"],
    });
  }
  return { status: 200, body: { files: top, free: 8_000_000_000, total: 16_000_000_000 } };
}

/** `GET /api/files/local/<path>`: one file's information, or 404. */
export function fileInfo(ctx: FilesContext, path: string): FilesReply {
  const file = ctx.uploads.get(path);
  return file
    ? { status: 200, body: entry(ctx, file) }
    : { status: 404, body: { error: "File not found" } };
}
