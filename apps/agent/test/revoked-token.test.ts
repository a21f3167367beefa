import { join } from "node:path";
import { type AgentStop, type Clock, runAgent } from "@apf/agent-core/agent";
import { sleep } from "@apf/agent-core/backoff";
import { inlineSecret } from "@apf/agent-core/secret-provider";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { envelope } from "./helpers/fake-backend.ts";
import { type FakeServer, startFakeServer } from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { AGENT_TOKEN, tempDir } from "./helpers/temp-dir.ts";

const KEY = "ABCDEF0123456789ABCDEF0123456789";
let farm: SimulatedFarm | undefined;
let backend: FakeServer | undefined;
afterEach(async () => {
  await farm?.close();
  await backend?.close();
  farm = undefined;
  backend = undefined;
});

const quickClock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(Math.min(ms, 20), signal) };

describe("a revoked agent token", () => {
  it("stops the agent by itself with one clear error line", async () => {
    farm = await startSimulatedFarm({ count: 1, apiKey: KEY });
    backend = await startFakeServer(() => envelope(401, "TOKEN_REVOKED", "agent token revoked"));
    const { logger, lines } = memoryLogger();
    let stopped: AgentStop | undefined;
    const printer = farm.printers[0];
    await runAgent(
      {
        configPath: "agent.json",
        apiUrl: backend.url,
        agentToken: inlineSecret(AGENT_TOKEN),
        pollIntervalS: 1,
        requestTimeoutS: 2,
        warnings: [],
        machines: [
          {
            id: "printer-1",
            name: "printer-1",
            type: "OCTOPRINT",
            url: printer?.url ?? "",
            baseUrl: printer?.url ?? "",
            apiKey: inlineSecret(KEY),
            label: "machines[0]",
          },
        ],
      },
      {
        logger,
        signal: new AbortController().signal,
        clock: quickClock,
        onStopped: (reason) => {
          stopped = reason;
        },
      },
    );
    expect(stopped).toBe("token_revoked");
    const errors = lines.filter((l) => (l.level as number) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(
      /revoked this agent's token \(TOKEN_REVOKED\): the agent stopped/,
    );
    // One report and one command poll at most: no retries, no last flush.
    expect(backend.requests.length).toBeLessThanOrEqual(2);
    expect(lines.at(-1)?.msg).toBe("agent stopped");
  });

  it("makes apf-agent run exit 3 with a message saying the token was revoked", async () => {
    farm = await startSimulatedFarm({ count: 1, apiKey: KEY });
    backend = await startFakeServer(() => envelope(401, "TOKEN_REVOKED", "agent token revoked"));
    const dir = await tempDir({
      "agent-token.txt": `${AGENT_TOKEN}\n`,
      "agent.json": {
        api_url: backend.url,
        agent_token_file: "agent-token.txt",
        machines: [{ type: "OCTOPRINT", url: farm.printers[0]?.url, api_key: KEY }],
      },
    });
    let err = "";
    const code = await main(["run", "--config", join(dir, "agent.json"), "--log-level", "silent"], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (err += t) },
      signal: new AbortController().signal,
    });
    expect(code).toBe(3);
    expect(err).toMatch(/^apf-agent: the backend revoked this agent's token \(TOKEN_REVOKED\)/);
    expect(err).toContain("agent_token_file");
    expect(err).not.toContain(AGENT_TOKEN);
  });
});
