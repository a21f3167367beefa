import { randomBytes } from "node:crypto";
import type { UploadSettings } from "./files-api.ts";
import { type RunningHost, type SimulatedPrinter, startSimulatedHost } from "./simulated-host.ts";
import type { AutoPrintPlan } from "./virtual-printer.ts";

/** A set of simulated OctoPrint hosts, one HTTP server (and port) per printer. */
export interface SimulatedFarm {
  printers: SimulatedPrinter[];
  close(): Promise<void>;
}

/** Options of `startSimulatedFarm`. */
export interface SimulatedFarmOptions {
  count: number;
  /** Interface to bind; default `127.0.0.1` so the simulator is never exposed by accident. */
  host?: string;
  /** Port of the first printer, the next ones count up; 0 (default) picks free ports. */
  basePort?: number;
  /** One key for all, or one per printer index; default a random 32-hex key each. */
  apiKey?: string | ((i: number) => string);
  /** Clock in epoch milliseconds; default `Date.now` (real time). */
  now?: () => number;
  /** Each printer loops idle → print → finish forever, staggered across the farm. */
  autoPrint?: { files: string[]; durationS: number; idleS: number; heatS?: number };
  /**
   * Start every printer idle and never print by itself, whatever `autoPrint` says: prints come
   * only through `POST /api/files/local` (the queue-driven demo) or the test's own calls.
   */
  startIdle?: boolean;
  /**
   * How uploaded files print: `timeScale` multiplies the slicer's estimate (the demo's clock),
   * `defaultPrintS` stands in when a file has none, `heatS` heats first (scaled too); storage is
   * bounded by `maxFiles` and `maxBytes` (oldest files go first), uploads by `maxUploadBytes`.
   */
  uploads?: Partial<UploadSettings> & { maxFiles?: number; maxBytes?: number };
  /** Grant Application Keys requests without waiting for `approvePairing()`. */
  autoApprovePairing?: boolean;
  /** Version `/api/version` reports; default 1.10.2. */
  serverVersion?: string;
}

/**
 * Starts `count` simulated OctoPrint hosts speaking the documented REST API, for tests (with an
 * injected clock) and for trying the agent without hardware (real time).
 */
export async function startSimulatedFarm(opts: SimulatedFarmOptions): Promise<SimulatedFarm> {
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new RangeError("count must be ≥ 1");
  const now = opts.now ?? Date.now;
  const hosts: RunningHost[] = [];
  try {
    for (let i = 0; i < opts.count; i += 1) {
      hosts.push(
        await startSimulatedHost({
          name: `sim-printer-${i + 1}`,
          host: opts.host ?? "127.0.0.1",
          port: opts.basePort ? opts.basePort + i : 0,
          apiKey: keyFor(opts.apiKey, i),
          now,
          autoApprovePairing: opts.autoApprovePairing ?? false,
          autoPrint: opts.startIdle ? null : autoPlan(opts.autoPrint, i),
          startOffsetMs: opts.startIdle ? 0 : staggerMs(opts.autoPrint, i, opts.count),
          serverVersion: opts.serverVersion,
          ...(opts.uploads ? { uploads: opts.uploads } : {}),
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(hosts.map((h) => h.close()));
    throw error;
  }
  return {
    printers: hosts.map((h) => h.printer),
    close: async () => {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
}

function keyFor(apiKey: SimulatedFarmOptions["apiKey"], i: number): string {
  if (typeof apiKey === "function") return apiKey(i);
  if (typeof apiKey === "string") return apiKey;
  return randomBytes(16).toString("hex").toUpperCase();
}

function heatSeconds(auto: NonNullable<SimulatedFarmOptions["autoPrint"]>): number {
  return auto.heatS ?? Math.min(10, auto.durationS / 5);
}

function autoPlan(auto: SimulatedFarmOptions["autoPrint"], i: number): AutoPrintPlan | null {
  if (!auto) return null;
  if (auto.files.length === 0) throw new RangeError("autoPrint.files must not be empty");
  let next = i;
  return {
    nextFile: () => {
      const file = auto.files[next % auto.files.length] as string;
      next += 1;
      return file;
    },
    durationS: auto.durationS,
    heatS: heatSeconds(auto),
    idleS: auto.idleS,
  };
}

// Printer i starts as if its first print began i/count of a cycle ago, so a small demo farm shows
// different states and different progress at the same moment.
function staggerMs(auto: SimulatedFarmOptions["autoPrint"], i: number, count: number): number {
  if (!auto) return 0;
  const cycleMs = (heatSeconds(auto) + auto.durationS + auto.idleS) * 1000 + 1_000;
  return Math.floor((cycleMs * i) / count);
}
