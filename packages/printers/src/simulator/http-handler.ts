import type { IncomingMessage, ServerResponse } from "node:http";
import { appKeysRequestBodySchema } from "../octoprint/schemas.ts";
import { connectionBody, jobBody, printerBody } from "./bodies.ts";
import { fileInfo, listFiles, type UploadSettings, uploadFile } from "./files-api.ts";
import type { PairingStore } from "./pairing.ts";
import { isOperationalPhase } from "./phases.ts";
import { SimulatorConflict } from "./print-run.ts";
import type { UploadedFiles } from "./uploaded-files.ts";
import type { VirtualPrinter } from "./virtual-printer.ts";

/** What the HTTP layer needs from one simulated OctoPrint host. */
export interface HostContext {
  printer: VirtualPrinter;
  /** Called with every job command the host answered, in order. */
  onJobCommand: (entry: JobCommandEntry) => void;
  pairing: PairingStore;
  baseUrl: () => string;
  acceptsKey: (key: string) => boolean;
  serverVersion: string;
  /** The host's local storage for `POST /api/files/local`. */
  uploads: UploadedFiles;
  uploadSettings: UploadSettings;
}

// Werkzeug's default description for 403, which OctoPrint's permission checks abort with.
const FORBIDDEN =
  "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.";
const NOT_OPERATIONAL = "Printer is not operational";
const MAX_BODY_BYTES = 64 * 1024;

type Reply = { status: number; body?: unknown; html?: string; headers?: Record<string, string> };

/** One `POST /api/job` as the host saw it: when (host clock), what, and what it answered. */
export interface JobCommandEntry {
  at: number;
  command: string | null;
  action: string | null;
  status: number;
}

/** Builds the request listener of one simulated host. */
export function createHandler(ctx: HostContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(ctx, req)
      .catch((error: unknown): Reply => {
        if (error instanceof SimulatorConflict)
          return { status: 409, body: { error: error.message } };
        if (error instanceof SyntaxError)
          return { status: 400, body: { error: "Malformed JSON body in request" } };
        return { status: 500, body: { error: "Internal simulator error" } };
      })
      .then((reply) => send(res, reply));
  };
}

async function route(ctx: HostContext, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://simulator.invalid");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  if (path.startsWith("/plugin/appkeys/")) return appKeys(ctx, method, path, req);
  if (!path.startsWith("/api/")) return { status: 404, body: { error: "Not Found" } };
  if (!ctx.acceptsKey(presentedKey(req, url))) return { status: 403, body: { error: FORBIDDEN } };

  const p = ctx.printer;
  const t = p.advance();
  const key = `${method} ${path}`;
  switch (key) {
    case "GET /api/version":
      return {
        status: 200,
        body: { api: "0.1", server: ctx.serverVersion, text: `OctoPrint ${ctx.serverVersion}` },
      };
    case "GET /api/server":
      return { status: 200, body: { server: ctx.serverVersion, safe_mode: null } };
    case "GET /api/connection":
      return { status: 200, body: connectionBody(p) };
    case "GET /api/job":
      return { status: 200, body: jobBody(p, t) };
    case "GET /api/printer": {
      if (!isOperationalPhase(p.phase)) return { status: 409, body: { error: NOT_OPERATIONAL } };
      const exclude = new Set(
        (url.searchParams.get("exclude") ?? "").split(",").map((s) => s.trim()),
      );
      const history = ["true", "yes", "y", "1"].includes(url.searchParams.get("history") ?? "");
      const limit = Number.parseInt(url.searchParams.get("limit") ?? "300", 10);
      return {
        status: 200,
        body: printerBody(p, t, { exclude, history, limit: Number.isNaN(limit) ? 300 : limit }),
      };
    }
    case "POST /api/job":
      return logged(ctx, t, await postJob(p, req));
    case "POST /api/files/local":
      return uploadFile(files(ctx), req, t);
    case "GET /api/files":
    case "GET /api/files/local":
      return listFiles(files(ctx));
  }
  if (method === "GET" && path.startsWith("/api/files/local/")) {
    const filePath = path.slice("/api/files/local/".length).split("/").map(decodeURIComponent);
    return fileInfo(files(ctx), filePath.join("/"));
  }
  const known = [
    "/api/version",
    "/api/server",
    "/api/connection",
    "/api/job",
    "/api/printer",
    "/api/files",
    "/api/files/local",
  ];
  if (known.includes(path)) return { status: 405, body: { error: "Method Not Allowed" } };
  return { status: 404, body: { error: "Not Found" } };
}

function files(ctx: HostContext) {
  return {
    printer: ctx.printer,
    uploads: ctx.uploads,
    settings: ctx.uploadSettings,
    baseUrl: ctx.baseUrl,
  };
}

type JobReply = Reply & { command: string | null; action: string | null };

function logged(ctx: HostContext, at: number, reply: JobReply): Reply {
  const { command, action, ...rest } = reply;
  ctx.onJobCommand({ at, command, action, status: rest.status });
  return rest;
}

// OctoPrint's order (api/job.py controlJob): operational (409) → JSON body and a known command
// (400) → the command's own precondition (409 with OctoPrint's message) → 204.
async function postJob(p: VirtualPrinter, req: IncomingMessage): Promise<JobReply> {
  const body = await readJson(req).catch(() => undefined);
  const data = (body ?? {}) as { command?: unknown; action?: unknown };
  const named = {
    command: typeof data.command === "string" ? data.command : null,
    action: typeof data.action === "string" ? data.action : null,
  };
  if (!isOperationalPhase(p.phase)) {
    return { ...named, status: 409, body: { error: NOT_OPERATIONAL } };
  }
  if (!/\bapplication\/json\b/i.test(req.headers["content-type"] ?? "")) {
    return { ...named, status: 400, body: { error: "Expected content-type JSON" } };
  }
  if (body === undefined) {
    return { ...named, status: 400, body: { error: "Malformed JSON body in request" } };
  }
  try {
    return { ...named, ...jobCommand(p, data) };
  } catch (error) {
    if (error instanceof SimulatorConflict) {
      return { ...named, status: 409, body: { error: error.message } };
    }
    throw error;
  }
}

function jobCommand(p: VirtualPrinter, data: { command?: unknown; action?: unknown }): Reply {
  switch (data.command) {
    case "start":
      if (!p.run) return { status: 409, body: { error: "No file selected" } };
      p.startPrint(p.run.fileName, {
        durationS: p.run.durationMs / 1000,
        heatS: p.run.heatMs / 1000,
        ...(p.run.sizeBytes === null ? {} : { sizeBytes: p.run.sizeBytes }),
        fileDate: p.run.fileDate,
      });
      return { status: 204 };
    case "cancel":
      p.cancel();
      return { status: 204 };
    case "pause": {
      const action = data.action ?? "toggle";
      if (action === "pause") p.pause();
      else if (action === "resume") p.resume();
      else if (action === "toggle") p.phase === "paused" ? p.resume() : p.pause();
      else return { status: 400, body: { error: "Unknown action" } };
      return { status: 204 };
    }
    default:
      return { status: 400, body: { error: "command is invalid" } };
  }
}

async function appKeys(
  ctx: HostContext,
  method: string,
  path: string,
  req: IncomingMessage,
): Promise<Reply> {
  if (method === "GET" && path === "/plugin/appkeys/probe") return { status: 204 };
  if (method === "POST" && path === "/plugin/appkeys/request") {
    const parsed = appKeysRequestBodySchema.safeParse(await readJson(req));
    if (!parsed.success) return { status: 400, body: { error: "Expected app parameter" } };
    const token = ctx.pairing.open(parsed.data.app, parsed.data.user ?? null);
    const location = `${ctx.baseUrl()}/plugin/appkeys/request/${token}`;
    return {
      status: 201,
      headers: { Location: location },
      body: { app_token: token, auth_dialog: `${ctx.baseUrl()}/plugin/appkeys/auth/${token}` },
    };
  }
  const poll = /^\/plugin\/appkeys\/request\/([^/]+)$/.exec(path);
  if (method === "GET" && poll?.[1]) {
    const result = ctx.pairing.poll(poll[1]);
    if (result.kind === "pending") return { status: 202 };
    if (result.kind === "granted") return { status: 200, body: { api_key: result.apiKey } };
    return { status: 404, body: { error: "Not Found" } };
  }
  return { status: 404, body: { error: "Not Found" } };
}

function presentedKey(req: IncomingMessage, url: URL): string {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header.trim()) return header.trim();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (bearer?.[1]) return bearer[1];
  return url.searchParams.get("apikey") ?? "";
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SyntaxError("body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text ? JSON.parse(text) : null;
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.html !== undefined) {
    headers["Content-Type"] = "text/html; charset=UTF-8";
    res.writeHead(reply.status, headers).end(reply.html);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  headers["Content-Type"] = "application/json";
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
