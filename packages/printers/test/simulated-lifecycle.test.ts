import { describe, expect, it } from "vitest";
import { type JobTransition, nextJobTransition, type OpenJob } from "../src/job-lifecycle.ts";
import { normalizeMachine } from "../src/normalize.ts";
import type { MachineReport } from "../src/report-schema.ts";
import { agentReportSchema } from "../src/report-schema.ts";
import { farmPerTest } from "./helpers/farm-per-test.ts";

// End to end without the agent: poll the simulator like the agent does, build a report, validate
// it with the report schema, normalise it and feed the lifecycle like the backend does.

const KEY = "LIFECYCLE-KEY";
const sim = farmPerTest({ count: 1, apiKey: KEY });

async function fetchJson(path: string) {
  const res = await fetch(`${sim.printer.url}${path}`, { headers: { "X-Api-Key": KEY } });
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
    sent_at: new Date(sim.now()).toISOString(),
    machines: [
      {
        machine_id: sim.printer.name,
        name: sim.printer.name,
        type: "OCTOPRINT",
        url: sim.printer.url,
        observed_at: new Date(sim.now()).toISOString(),
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
    sim.tick(seconds);
    await backend.poll();
  }
}

describe("normalizeMachine + nextJobTransition over a simulated print", () => {
  it("opens, updates with growing progress, then completes", async () => {
    const backend = new Backend();
    await backend.poll();
    sim.printer.startPrint("widget.gcode", { heatS: 10, durationS: 60 });
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
    sim.printer.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 3);
    sim.printer.cancel();
    await pollEvery(backend, 1, 4);
    expect(backend.kinds()).toContain("close:cancelled");
    expect(backend.open).toBeNull();
  });

  it("closes a failed print as failed with the printer's error text", async () => {
    const backend = new Backend();
    sim.printer.startPrint("widget.gcode", { heatS: 0, durationS: 60, fail: true });
    await pollEvery(backend, 5, 8);
    const close = backend.log.find((t) => t.kind === "close");
    expect(close).toMatchObject({
      close: { status: "failed", failureReason: expect.stringMatching(/Thermal Runaway/) },
    });
  });

  it("fails a print whose printer disconnects mid-way", async () => {
    const backend = new Backend();
    sim.printer.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 2);
    sim.printer.disconnect();
    await pollEvery(backend, 5, 1);
    expect(backend.log.at(-1)).toMatchObject({
      close: { status: "failed", failureReason: "printer_disconnected" },
    });
  });

  it("keeps the job open while the key is refused, then goes on", async () => {
    const backend = new Backend();
    sim.printer.startPrint("widget.gcode", { heatS: 0, durationS: 60 });
    await pollEvery(backend, 5, 2);
    sim.printer.setApiKey("ROTATED");
    await pollEvery(backend, 5, 2);
    expect(backend.log.slice(-2).map((t) => t.kind)).toEqual(["none", "none"]);
    expect(backend.open?.fileName).toBe("widget.gcode");
    sim.printer.setApiKey(KEY);
    await pollEvery(backend, 5, 1);
    expect(backend.log.at(-1)?.kind).toBe("update");
  });
});
