import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type JobTransition, nextJobTransition, type OpenJob } from "../src/job-lifecycle.ts";
import { normalizeMachine } from "../src/normalize.ts";
import type { MachineReport } from "../src/report-schema.ts";
import { agentReportSchema } from "../src/report-schema.ts";
import {
  type SimulatedFarm,
  type SimulatedPrinter,
  startSimulatedFarm,
} from "../src/simulator/index.ts";

// End to end without the agent: poll the simulator like the agent does, build a report, validate
// it with the report schema, normalise it and feed the lifecycle like the backend does.

const KEY = "LIFECYCLE-KEY";
let clock = 1_800_000_000_000;
const tick = (s: number) => {
  clock += s * 1000;
};
let farm: SimulatedFarm;
let p: SimulatedPrinter;

beforeEach(async () => {
  farm = await startSimulatedFarm({ count: 1, apiKey: KEY, now: () => clock });
  p = farm.printers[0] as SimulatedPrinter;
});
afterEach(async () => {
  await farm.close();
});

async function fetchJson(path: string) {
  const res = await fetch(`${p.url}${path}`, { headers: { "X-Api-Key": KEY } });
  return { status: res.status, body: res.ok ? await res.json() : null };
}

async function observe(): Promise<MachineReport> {
  const [version, printer, job] = await Promise.all([
    fetchJson("/api/version"),
    fetchJson("/api/printer"),
    fetchJson("/api/job"),
  ]);
  const report = agentReportSchema.parse({
    agent: { version: "test", hostname: "vitest" },
    sent_at: new Date(clock).toISOString(),
    machines: [
      {
        machine_id: p.name,
        name: p.name,
        type: "OCTOPRINT",
        url: p.url,
        observed_at: new Date(clock).toISOString(),
        reachable: true,
        error: null,
        octoprint: {
          version: version.body,
          printer_http_status: printer.status,
          printer: printer.body,
          job: job.body,
          filament: null,
        },
      },
    ],
  });
  return report.machines[0] as MachineReport;
}

/** Applies transitions as the backend would, and records their kinds. */
class Backend {
  open: OpenJob | null = null;
  readonly log: JobTransition[] = [];

  async poll(): Promise<void> {
    const m = normalizeMachine(await observe());
    const t = nextJobTransition(this.open, m);
    this.log.push(t);
    if (t.kind === "open")
      this.open = { ...t.job, lastProgress: t.job.progress, lastPrinterStatus: m.status };
    if (t.kind === "update" && this.open) {
      this.open = {
        ...this.open,
        status: t.job.status,
        lastProgress: t.job.progress,
        lastPrinterStatus: m.status,
      };
    }
    if (t.kind === "close") this.open = null;
    if (this.open) this.open.lastPrinterStatus = m.status;
  }

  kinds(): string[] {
    return this.log.map((t) => (t.kind === "close" ? `close:${t.close.status}` : t.kind));
  }
}

async function pollEvery(backend: Backend, seconds: number, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    tick(seconds);
    await backend.poll();
  }
}

describe("normalizeMachine + nextJobTransition over a simulated print", () => {
  it("opens, updates with growing progress, then completes", async () => {
    const backend = new Backend();
    await backend.poll();
    p.startPrint("widget.gcode", { heatS: 10, durationS: 60 });
    await pollEvery(backend, 5, 16);

    const kinds = backend.kinds().filter((k) => k !== "none");
    expect(kinds[0]).toBe("open");
    expect(kinds.at(-1)).toBe("close:completed");
    expect(kinds.filter((k) => k === "update").length).toBeGreaterThan(5);
    const progress = backend.log.flatMap((t) => (t.kind === "update" ? [t.job.progress ?? 0] : []));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const closed = backend.log.find((t) => t.kind === "close");
    expect(closed).toMatchObject({ kind: "close", close: { status: "completed", progress: 100 } });
  });

  it("closes a cancelled print as cancelled", async () => {
    const backend = new Backend();
    p.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 3);
    p.cancel();
    await pollEvery(backend, 1, 4);
    expect(backend.kinds()).toContain("close:cancelled");
    expect(backend.open).toBeNull();
  });

  it("closes a failed print as failed with the printer's error text", async () => {
    const backend = new Backend();
    p.startPrint("widget.gcode", { heatS: 0, durationS: 60, fail: true });
    await pollEvery(backend, 5, 8);
    const close = backend.log.find((t) => t.kind === "close");
    expect(close).toMatchObject({
      close: { status: "failed", failureReason: expect.stringMatching(/Thermal Runaway/) },
    });
  });

  it("fails a print whose printer disconnects mid-way", async () => {
    const backend = new Backend();
    p.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 2);
    p.disconnect();
    await pollEvery(backend, 5, 1);
    expect(backend.log.at(-1)).toMatchObject({
      close: { status: "failed", failureReason: "printer_disconnected" },
    });
  });

  it("keeps the job open while the key is refused, then goes on", async () => {
    const backend = new Backend();
    p.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 2);
    p.setApiKey("ROTATED");
    await pollEvery(backend, 5, 2);
    expect(backend.log.slice(-2).map((t) => t.kind)).toEqual(["none", "none"]);
    expect(backend.open?.fileName).toBe("widget.gcode");
    p.setApiKey(KEY);
    await pollEvery(backend, 5, 1);
    expect(backend.log.at(-1)?.kind).toBe("update");
  });
});
