import { describe, expect, it, vi } from "vitest";
import {
  connectionResponseSchema,
  jobResponseSchema,
  printerResponseSchema,
  versionResponseSchema,
} from "../src/octoprint/schemas.ts";
import {
  SIMULATED_FAILURE,
  type SimulatedPrinter,
  startSimulatedFarm,
  TRANSIENT_MS,
} from "../src/simulator/index.ts";
import { farmPerTest } from "./helpers/farm-per-test.ts";
import type { Loose } from "./helpers/loose.ts";

const KEY = "SIMKEY-0123456789";
const sim = farmPerTest({ count: 2, apiKey: KEY });

async function get(path: string, headers: Record<string, string> = { "X-Api-Key": KEY }) {
  const res = await fetch(`${sim.printer.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { "X-Api-Key": KEY },
) {
  const res = await fetch(`${sim.printer.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const job = async () => jobResponseSchema.parse((await get("/api/job")).body);
const printer = async () => printerResponseSchema.parse((await get("/api/printer")).body);

describe("simulated farm", () => {
  it("gives every printer its own 127.0.0.1 port", () => {
    const urls = sim.farm.printers.map((x) => new URL(x.url));
    expect(urls.every((u) => u.hostname === "127.0.0.1")).toBe(true);
    expect(new Set(urls.map((u) => u.port)).size).toBe(2);
  });

  it("answers the documented read endpoints with bodies our schemas accept", async () => {
    expect(versionResponseSchema.parse((await get("/api/version")).body).server).toMatch(/^1\./);
    expect((await get("/api/server")).status).toBe(200);
    expect(connectionResponseSchema.parse((await get("/api/connection")).body).current.state).toBe(
      "Operational",
    );
    const state = (await printer()).state;
    expect(state?.flags).toMatchObject({ operational: true, ready: true, printing: false });
    expect((await job()).job.file?.name).toBeNull();
  });
});

describe("API key", () => {
  it("answers 403 without a key or with a wrong one, as OctoPrint does", async () => {
    expect((await get("/api/printer", {})).status).toBe(403);
    expect((await get("/api/job", { "X-Api-Key": "wrong" })).status).toBe(403);
    expect((await post("/api/job", { command: "start" }, {})).status).toBe(403);
  });

  it("accepts the key as X-Api-Key or as a Bearer token", async () => {
    expect((await get("/api/version", { Authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await get("/api/version", { "X-Api-Key": KEY })).status).toBe(200);
  });

  it("refuses the old key after setApiKey", async () => {
    sim.printer.setApiKey("NEWKEY");
    expect((await get("/api/version")).status).toBe(403);
    expect((await get("/api/version", { "X-Api-Key": "NEWKEY" })).status).toBe(200);
  });
});

describe("connection", () => {
  it("answers /api/printer with 409 while disconnected, /api/job still 200", async () => {
    sim.printer.disconnect();
    const res = await get("/api/printer");
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: "Printer is not operational" });
    expect((await job()).state).toBe("Offline");
    expect((await get("/api/connection")).body.current.state).toBe("Closed");
    sim.printer.connect();
    expect((await get("/api/printer")).status).toBe(200);
  });

  it("honours ?exclude= and ?history=", async () => {
    const body = (await get("/api/printer?exclude=temperature,sd")).body;
    expect(Object.keys(body)).toEqual(["state"]);
    const withHistory = (await get("/api/printer?history=true&limit=3")).body;
    expect(withHistory.temperature.history).toHaveLength(3);
  });
});

describe("a print driven by the injected clock", () => {
  it("heats, progresses and finishes with completion 100 and the file still selected", async () => {
    sim.printer.startPrint("parts/bracket.gcode", { heatS: 20, durationS: 100 });
    sim.tick(10);
    let t = (await printer()).temperature as Loose;
    expect(t.tool0.target).toBe(210);
    expect(t.bed.target).toBe(60);
    expect(t.tool0.actual).toBeGreaterThan(30);
    expect(t.tool0.actual).toBeLessThan(210);
    expect((await job()).progress.completion).toBe(0);

    sim.tick(15); // 5 s into printing
    t = (await printer()).temperature as Loose;
    expect(t.tool0.actual).toBeGreaterThan(205);
    const mid = await job();
    expect(mid.progress.completion).toBeCloseTo(5);
    expect(mid.progress.printTime).toBe(25);
    expect(mid.progress.printTimeLeft).toBe(95);
    expect(mid.job.file?.name).toBe("bracket.gcode");
    expect(mid.job.file?.path).toBe("parts/bracket.gcode");

    sim.tick(95); // printing done → Finishing
    expect(sim.printer.state()).toBe("Finishing");
    expect((await printer()).state?.flags).toMatchObject({ printing: true, finishing: true });
    sim.tick(TRANSIENT_MS.finishing / 1000);
    const done = await job();
    expect(done.state).toBe("Operational");
    expect(done.progress.completion).toBe(100);
    expect(done.progress.printTimeLeft).toBe(0);
    expect(done.job.file?.name).toBe("bracket.gcode");
    expect(((await printer()).temperature as Loose).tool0.target).toBe(0);
  });

  it("pauses and resumes through the API, freezing progress while paused", async () => {
    sim.printer.startPrint("a.gcode", { heatS: 0, durationS: 100 });
    sim.tick(30);
    expect((await post("/api/job", { command: "pause", action: "pause" })).status).toBe(204);
    expect((await printer()).state?.flags).toMatchObject({ pausing: true, printing: true });
    sim.tick(1);
    expect((await printer()).state?.flags).toMatchObject({ paused: true, printing: false });
    sim.tick(600);
    expect((await job()).progress.completion).toBeCloseTo(30);
    expect((await post("/api/job", { command: "pause", action: "resume" })).status).toBe(204);
    expect((await printer()).state?.flags).toMatchObject({ resuming: true, printing: true });
    sim.tick(1 + 10);
    expect((await job()).progress.completion).toBeCloseTo(40);
  });

  it("fails with the error flag's text in /api/job and 409 on /api/printer", async () => {
    sim.printer.startPrint("fails.gcode", { heatS: 0, durationS: 100, fail: true });
    sim.tick(49);
    expect(sim.printer.state()).toBe("Printing");
    sim.tick(2);
    expect(sim.printer.state()).toBe("Error");
    expect((await get("/api/printer")).status).toBe(409);
    const failed = await job();
    expect(failed.error).toBe(SIMULATED_FAILURE);
    expect(failed.progress.completion).toBeCloseTo(50);
    expect((await post("/api/job", { command: "start" })).status).toBe(409);
    sim.printer.connect();
    expect(sim.printer.state()).toBe("Operational");
  });

  it("cancels: cancelling briefly, then operational with progress reset", async () => {
    sim.printer.startPrint("c.gcode", { heatS: 0, durationS: 100 });
    sim.tick(40);
    expect((await post("/api/job", { command: "cancel" })).status).toBe(204);
    expect((await printer()).state?.flags).toMatchObject({ cancelling: true, printing: true });
    sim.tick(TRANSIENT_MS.cancelling / 1000);
    const after = await job();
    expect(after.state).toBe("Operational");
    expect(after.progress.completion).toBeNull();
    expect(after.job.file?.name).toBe("c.gcode");
  });

  it("answers 409 to commands whose preconditions fail", async () => {
    expect((await post("/api/job", { command: "cancel" })).status).toBe(409);
    expect((await post("/api/job", { command: "pause" })).status).toBe(409);
    expect((await post("/api/job", { command: "start" })).status).toBe(409); // nothing selected
    sim.printer.startPrint("x.gcode");
    expect((await post("/api/job", { command: "start" })).status).toBe(409);
    expect((await post("/api/job", { command: "nonsense" })).status).toBe(400);
    expect(() => sim.printer.startPrint("y.gcode")).toThrow(/active print job/);
  });

  it("restarts the selected file with the start command after a finished print", async () => {
    sim.printer.startPrint("again.gcode", { heatS: 0, durationS: 10 });
    sim.tick(12);
    expect(sim.printer.state()).toBe("Operational");
    expect((await post("/api/job", { command: "start" })).status).toBe(204);
    expect(sim.printer.state()).toBe("Printing");
    expect((await job()).progress.completion).toBe(0);
  });
});

describe("auto print", () => {
  it("loops idle → print → finish and staggers the printers", async () => {
    const auto = await startSimulatedFarm({
      count: 3,
      apiKey: KEY,
      now: sim.now,
      autoPrint: { files: ["a.gcode", "b.gcode"], durationS: 60, idleS: 10, heatS: 5 },
    });
    try {
      const progress = async (x: SimulatedPrinter) => {
        const res = await fetch(`${x.url}/api/job`, { headers: { "X-Api-Key": KEY } });
        return jobResponseSchema.parse(await res.json()).progress.completion;
      };
      const first = await Promise.all(auto.printers.map(progress));
      expect(new Set(first).size).toBe(3);
      const seen = new Set<string>();
      for (let i = 0; i < 160; i += 1) {
        sim.tick(1);
        for (const x of auto.printers) seen.add(x.state());
      }
      expect(seen).toEqual(new Set(["Printing", "Finishing", "Operational"]));
    } finally {
      await auto.close();
    }
  });
});

describe("real-time mode", () => {
  it("runs on the wall clock when no clock is injected", async () => {
    const live = await startSimulatedFarm({ count: 1, apiKey: KEY });
    try {
      const x = live.printers[0] as SimulatedPrinter;
      x.startPrint("quick.gcode", { heatS: 0, durationS: 0.2 });
      expect(x.state()).toBe("Printing");
      await vi.waitFor(() => expect(x.state()).toBe("Operational"), {
        timeout: 5000 + TRANSIENT_MS.finishing,
        interval: 50,
      });
    } finally {
      await live.close();
    }
  });
});
