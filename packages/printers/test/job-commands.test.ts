import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOctoPrintClient, type OctoPrintClient } from "../src/octoprint/client.ts";
import {
  type SimulatedFarm,
  type SimulatedPrinter,
  startSimulatedFarm,
  TRANSIENT_MS,
} from "../src/simulator/index.ts";

const KEY = "SIMKEY-JOBCOMMANDS";
let clock = 1_800_000_000_000;
const tick = (seconds: number) => {
  clock += seconds * 1000;
};

let farm: SimulatedFarm;
let p: SimulatedPrinter;
let client: OctoPrintClient;

beforeEach(async () => {
  farm = await startSimulatedFarm({ count: 1, apiKey: KEY, now: () => clock });
  p = farm.printers[0] as SimulatedPrinter;
  client = createOctoPrintClient({ baseUrl: p.url, apiKey: () => KEY });
});
afterEach(async () => {
  await farm.close();
});

describe("job commands through the client against the simulator", () => {
  it("pauses, resumes and cancels a print with 204 answers, sending OctoPrint's bodies", async () => {
    p.startPrint("part.gcode", { heatS: 0, durationS: 100 });
    expect(await client.sendJobCommand("pause")).toEqual({ ok: true, status: 204 });
    tick(TRANSIENT_MS.pausing / 1000);
    expect(p.state()).toBe("Paused");
    expect(await client.sendJobCommand("resume")).toEqual({ ok: true, status: 204 });
    tick(TRANSIENT_MS.resuming / 1000);
    expect(p.state()).toBe("Printing");
    expect(await client.sendJobCommand("cancel")).toEqual({ ok: true, status: 204 });
    expect(p.state()).toBe("Cancelling");
    expect(p.jobCommands().map((e) => [e.command, e.action, e.status])).toEqual([
      ["pause", "pause", 204],
      ["pause", "resume", 204],
      ["cancel", null, 204],
    ]);
  });

  it("answers 409 with OctoPrint's reason when no job is active, and names it", async () => {
    const result = await client.sendJobCommand("pause");
    expect(result).toMatchObject({ ok: false, kind: "http", status: 409 });
    expect(!result.ok && result.message).toContain("neither printing nor paused");
    expect(await client.sendJobCommand("cancel")).toMatchObject({ ok: false, status: 409 });
  });

  it("answers 409 'not operational' while the printer is disconnected", async () => {
    p.disconnect();
    const result = await client.sendJobCommand("cancel");
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(!result.ok && result.message).toContain("Printer is not operational");
  });

  it("refuses a wrong key with 403 as auth", async () => {
    const wrong = createOctoPrintClient({ baseUrl: p.url, apiKey: () => "WRONG" });
    expect(await wrong.sendJobCommand("pause")).toMatchObject({
      ok: false,
      kind: "auth",
      status: 403,
    });
    expect(p.jobCommands()).toEqual([]);
  });

  it("answers 400 to a body that is not declared JSON, as OctoPrint does", async () => {
    p.startPrint("part.gcode", { heatS: 0, durationS: 100 });
    const res = await fetch(`${p.url}/api/job`, {
      method: "POST",
      headers: { "X-Api-Key": KEY, "Content-Type": "text/plain" },
      body: JSON.stringify({ command: "pause", action: "pause" }),
    });
    expect(res.status).toBe(400);
    expect(p.state()).toBe("Printing");
  });

  it("reports an unreachable host without throwing", async () => {
    const url = p.url;
    await farm.close();
    farm = await startSimulatedFarm({ count: 1, apiKey: KEY });
    const gone = createOctoPrintClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 1000 });
    expect(await gone.sendJobCommand("pause")).toMatchObject({ ok: false, kind: "unreachable" });
  });

  it("tells listeners about each command as it is answered", async () => {
    const seen: string[] = [];
    const off = p.onJobCommand((e) => seen.push(`${e.command}:${e.status}`));
    p.startPrint("part.gcode", { heatS: 0, durationS: 100 });
    await client.sendJobCommand("pause");
    off();
    await client.sendJobCommand("cancel");
    expect(seen).toEqual(["pause:204"]);
  });
});
