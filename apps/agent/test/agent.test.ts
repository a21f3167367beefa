// The backend's own schema of the report body: what the agent sends must pass it.

import { type Clock, runAgent } from "@apf/agent-core/agent";
import { sleep } from "@apf/agent-core/backoff";
import { normalizeUrl } from "@apf/agent-core/machine-identity";
import { inlineSecret } from "@apf/agent-core/secret-provider";
import { parseAgentReport } from "@apf/printers";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentConfig } from "../src/config.ts";
import { type FakeBackend, startFakeBackend } from "./helpers/fake-backend.ts";
import { until, unusedPort } from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { AGENT_TOKEN } from "./helpers/temp-dir.ts";

const KEY = "ABCDEF0123456789ABCDEF0123456789";
let farm: SimulatedFarm | undefined;
let backend: FakeBackend | undefined;
afterEach(async () => {
  await farm?.close();
  await backend?.close();
  farm = undefined;
  backend = undefined;
});

// Real time, but every wait shortened to 20 ms so rounds and backoff steps pass quickly.
const quickClock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(Math.min(ms, 20), signal) };

function configFor(apiUrl: string, urls: string[]): AgentConfig {
  return {
    configPath: "agent.json",
    apiUrl,
    agentToken: inlineSecret(AGENT_TOKEN),
    pollIntervalS: 1,
    requestTimeoutS: 2,
    warnings: [],
    machines: urls.map((url, i) => ({
      id: `printer-${i + 1}`,
      name: `printer-${i + 1}`,
      type: "OCTOPRINT",
      url: normalizeUrl(url),
      baseUrl: url,
      apiKey: inlineSecret(KEY),
      label: `machines[${i}]`,
    })),
  };
}

describe("runAgent", () => {
  it("polls the simulated farm and reports bodies the backend schema accepts", async () => {
    farm = await startSimulatedFarm({ count: 3, apiKey: KEY });
    const [printing, idle, disconnected] = farm.printers;
    printing!.startPrint("benchy.gcode", { durationS: 600 });
    disconnected!.disconnect();
    idle!.setApiKey("SOMETHING-ELSE-ENTIRELY");
    backend = await startFakeBackend();
    const { logger, lines, raw } = memoryLogger();
    const controller = new AbortController();
    let rounds = 0;
    const done = runAgent(
      configFor(
        backend.url,
        farm.printers.map((p) => p.url),
      ),
      {
        logger,
        signal: controller.signal,
        clock: quickClock,
        hostname: "farm-pi",
        onRound: (n) => {
          rounds = n;
        },
      },
    );
    await until(() => expect(rounds).toBeGreaterThanOrEqual(3));
    await until(() => expect(backend?.accepted.length).toBeGreaterThanOrEqual(1));
    controller.abort();
    await done;

    for (const report of backend.accepted) {
      const parsed = parseAgentReport(report);
      expect(parsed.success ? [] : parsed.issues).toEqual([]);
      expect(report.agent).toEqual({ version: "0.1.0", hostname: "farm-pi" });
    }
    const last = new Map(backend.accepted.flatMap((r) => r.machines).map((m) => [m.machine_id, m]));
    expect(last.get("printer-1")).toMatchObject({
      reachable: true,
      error: null,
      octoprint: { printer_http_status: 200 },
    });
    expect(
      (last.get("printer-1")?.octoprint?.job as { state?: string } | undefined)?.state,
    ).toMatch(/Printing/);
    expect(last.get("printer-2")).toMatchObject({
      reachable: true,
      error: "octoprint key refused",
      octoprint: { printer_http_status: 403 },
    });
    expect(last.get("printer-3")).toMatchObject({
      reachable: true,
      octoprint: { printer_http_status: 409, printer: null },
    });
    expect(lines.at(-1)?.msg).toBe("agent stopped");
    expect(raw.join("")).not.toContain(KEY);
    expect(raw.join("")).not.toContain(AGENT_TOKEN);
  });

  it("keeps polling while the backend is away and delivers the newest state when it is back", async () => {
    farm = await startSimulatedFarm({ count: 2, apiKey: KEY });
    const port = await unusedPort();
    const { logger, lines } = memoryLogger();
    const controller = new AbortController();
    let rounds = 0;
    const done = runAgent(
      configFor(
        `http://127.0.0.1:${port}`,
        farm.printers.map((p) => p.url),
      ),
      {
        logger,
        signal: controller.signal,
        clock: quickClock,
        onRound: (n) => {
          rounds = n;
        },
      },
    );
    await until(() =>
      expect(
        lines.filter(
          (l) => l.msg === "backend unavailable; keeping the newest state per machine and retrying",
        ).length,
      ).toBeGreaterThanOrEqual(2),
    );
    const roundsWhileDown = rounds;
    backend = await startFakeBackend(port);
    await until(() =>
      expect(lines.some((l) => l.msg === "backend reachable again; newest state delivered")).toBe(
        true,
      ),
    );
    controller.abort();
    await done;
    expect(roundsWhileDown).toBeGreaterThanOrEqual(1);
    const first = backend.accepted[0]!;
    expect(first.machines.map((m) => m.machine_id).sort()).toEqual(["printer-1", "printer-2"]);
  });

  it("stops on abort with one last short flush even when the backend is gone", async () => {
    farm = await startSimulatedFarm({ count: 1, apiKey: KEY });
    const { logger, lines } = memoryLogger();
    const controller = new AbortController();
    let rounds = 0;
    const done = runAgent(
      configFor(`http://127.0.0.1:${await unusedPort()}`, [farm.printers[0]!.url]),
      {
        logger,
        signal: controller.signal,
        clock: quickClock,
        shutdownFlushMs: 200,
        onRound: (n) => {
          rounds = n;
        },
      },
    );
    await until(() => expect(rounds).toBeGreaterThanOrEqual(1));
    controller.abort();
    await done;
    expect(
      lines.some((l) => l.msg === "stopping with undelivered machine state" && l.undelivered === 1),
    ).toBe(true);
    expect(lines.at(-1)?.msg).toBe("agent stopped");
  });
});
