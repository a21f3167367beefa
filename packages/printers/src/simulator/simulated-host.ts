import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_UPLOAD_SETTINGS, type UploadSettings } from "./files-api.ts";
import { createHandler, type JobCommandEntry } from "./http-handler.ts";
import { PairingStore } from "./pairing.ts";
import { PHASE_TEXT } from "./phases.ts";
import type { PrintOptions } from "./print-run.ts";
import { DEFAULT_UPLOAD_LIMITS, type UploadedFile, UploadedFiles } from "./uploaded-files.ts";
import { type AutoPrintPlan, VirtualPrinter } from "./virtual-printer.ts";

/** One simulated printer, reachable over HTTP like a real OctoPrint host. */
export interface SimulatedPrinter {
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The key OctoPrint currently accepts (keys granted by pairing are accepted too). */
  apiKey: string;
  startPrint(fileName: string, opts?: PrintOptions): void;
  pause(): void;
  resume(): void;
  cancel(): void;
  disconnect(): void;
  connect(): void;
  setApiKey(k: string): void;
  approvePairing(): void;
  denyPairing(): void;
  /** OctoPrint's state text, e.g. "Operational", "Printing", "Offline". */
  state(): string;
  /** Pairing requests still waiting for a decision. */
  pendingPairings(): number;
  /** Files stored through `POST /api/files/local`, oldest first. */
  files(): readonly UploadedFile[];
  /** Every `POST /api/job` this host answered, oldest first. */
  jobCommands(): readonly JobCommandEntry[];
  /** Calls `listener` on each `POST /api/job` as it is answered; returns the unsubscribe. */
  onJobCommand(listener: (entry: JobCommandEntry) => void): () => void;
}

/** How one host is built by the farm. */
export interface HostOptions {
  name: string;
  host: string;
  port: number;
  apiKey: string;
  now: () => number;
  autoApprovePairing: boolean;
  autoPrint: AutoPrintPlan | null;
  startOffsetMs: number;
  serverVersion?: string;
  uploads?: Partial<UploadSettings> & { maxFiles?: number; maxBytes?: number };
}

/** A listening simulated host plus the means to stop it. */
export interface RunningHost {
  printer: SimulatedPrinter;
  close(): Promise<void>;
}

/** Starts one host's HTTP server and resolves once it listens. */
export async function startSimulatedHost(opts: HostOptions): Promise<RunningHost> {
  const vp = new VirtualPrinter(opts.now, opts.autoPrint, opts.startOffsetMs);
  let apiKey = opts.apiKey;
  const grantedKeys = new Set<string>();
  let baseUrl = "";
  const commands: JobCommandEntry[] = [];
  const { maxFiles, maxBytes, ...settings } = opts.uploads ?? {};
  const uploads = new UploadedFiles({
    maxFiles: maxFiles ?? DEFAULT_UPLOAD_LIMITS.maxFiles,
    maxBytes: maxBytes ?? DEFAULT_UPLOAD_LIMITS.maxBytes,
  });
  const listeners = new Set<(entry: JobCommandEntry) => void>();
  const pairing = new PairingStore(
    opts.now,
    () => {
      const key = randomBytes(16).toString("hex").toUpperCase();
      grantedKeys.add(key);
      return key;
    },
    () => opts.autoApprovePairing,
  );

  const server: Server = createServer(
    createHandler({
      printer: vp,
      onJobCommand: (entry) => {
        commands.push(entry);
        for (const listener of listeners) listener(entry);
      },
      pairing,
      baseUrl: () => baseUrl,
      acceptsKey: (key) => key !== "" && (key === apiKey || grantedKeys.has(key)),
      serverVersion: opts.serverVersion ?? "1.10.2",
      uploads,
      uploadSettings: { ...DEFAULT_UPLOAD_SETTINGS, ...settings },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  baseUrl = `http://${hostPart}:${port}`;

  const printer: SimulatedPrinter = {
    name: opts.name,
    url: baseUrl,
    get apiKey() {
      return apiKey;
    },
    startPrint: (fileName, printOpts) => vp.startPrint(fileName, printOpts),
    pause: () => vp.pause(),
    resume: () => vp.resume(),
    cancel: () => vp.cancel(),
    disconnect: () => vp.disconnect(),
    connect: () => vp.connect(),
    setApiKey: (k) => {
      apiKey = k;
      grantedKeys.clear();
    },
    approvePairing: () => void pairing.decide(true),
    denyPairing: () => void pairing.decide(false),
    state: () => {
      vp.advance();
      return PHASE_TEXT[vp.phase];
    },
    pendingPairings: () => pairing.pendingCount(),
    files: () => uploads.list(),
    jobCommands: () => [...commands],
    onJobCommand: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    printer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
