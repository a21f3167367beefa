import { runAgent } from "@apf/agent-core/agent";
import { normalizeUrl } from "@apf/agent-core/machine-identity";
import type { ReportBody } from "@apf/agent-core/report-types";
import { inlineSecret } from "@apf/agent-core/secret-provider";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer, until } from "../helpers/http-fake.ts";
import { memoryLogger } from "../helpers/memory-logger.ts";
import { AGENT_TOKEN, tempDir } from "../helpers/temp-dir.ts";
import { GCODE, JOB_ID, OCTOPRINT_KEY, printCommand } from "./print-helpers.ts";

let farm: SimulatedFarm | undefined;
let backend: FakeServer | undefined;
const stop = new AbortController();
afterEach(async () => {
  stop.abort();
  await farm?.close();
  await backend?.close();
});

describe("runAgent with a print command", () => {
  it("prints the file and polls that printer at once, so the next report shows the job", async () => {
    farm = await startSimulatedFarm({
      count: 1,
      apiKey: OCTOPRINT_KEY,
      startIdle: true,
      uploads: { timeScale: 0.01 },
    });
    const printer = farm.printers[0];
    const reports: ReportBody[] = [];
    let handedOut = false;
    const command = printCommand("tok1", GCODE);
    backend = await startFakeServer((req) => {
      if (req.path === "/agent/v1/reports") {
        reports.push(JSON.parse(req.body) as ReportBody);
        return { status: 202, body: { success: true } };
      }
      if (req.path.startsWith("/agent/v1/commands?")) {
        // The command comes after the first report, once the agent's regular round is over.
        if (!handedOut && reports.length > 0) {
          handedOut = true;
          return { status: 200, body: { data: [command] } };
        }
        return { status: 200, body: { data: [] }, delayMs: 50 };
      }
      if (req.path === "/agent/v1/files/tok1") return { status: 200, body: GCODE };
      return { status: 200, body: { success: true } };
    });
    const { logger } = memoryLogger();
    const done = runAgent(
      {
        configPath: "agent.json",
        apiUrl: backend.url,
        agentToken: inlineSecret(AGENT_TOKEN),
        // Far longer than the test: only the poll right after the command can show the job.
        pollIntervalS: 600,
        requestTimeoutS: 5,
        warnings: [],
        fileCache: { dir: await tempDir(), maxBytes: 10 * 1024 * 1024 },
        machines: [
          {
            id: "printer-1",
            name: "printer-1",
            type: "OCTOPRINT",
            url: normalizeUrl(printer?.url ?? ""),
            baseUrl: printer?.url ?? "",
            apiKey: inlineSecret(OCTOPRINT_KEY),
            label: "machines[0]",
          },
        ],
      },
      { logger, signal: stop.signal },
    );

    const name = `bracket-${JOB_ID.slice(0, 8)}.gcode`;
    await until(() => {
      const paths = reports.map((r) => {
        const job = r.machines[0]?.octoprint?.job as { job?: { file?: { path?: string } } } | null;
        return job?.job?.file?.path;
      });
      expect(paths).toContain(`apf/${name}`);
    });
    await until(() => {
      const result = backend?.requests.find(
        (r) => r.path === `/agent/v1/commands/${command.id}/result`,
      );
      expect(JSON.parse(result?.body ?? "{}")).toEqual({
        ok: true,
        octoprint_status: 201,
        error: null,
      });
    });
    expect(printer?.state()).toBe("Printing");
    stop.abort();
    await done;
  });
});
