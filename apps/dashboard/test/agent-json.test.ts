import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@apf/agent/config";
import { mintToken } from "@apf/auth";
import { startSimulatedFarm } from "@apf/printers/simulator";
import { afterAll, describe, expect, it } from "vitest";
import {
  agentJson,
  OCTOPRINT_KEY_PLACEHOLDER,
  SIMULATOR,
  SIMULATOR_COMMAND,
  SIMULATOR_MACHINES,
} from "../src/client/agent-json.ts";

const dir = mkdtempSync(join(tmpdir(), "apf-agent-json-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Saves `text` as agent.json, as the technician does, and loads it with the agent's loader. */
async function loadOffered(text: string) {
  const file = join(dir, `agent-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text, { mode: 0o600 });
  return loadConfig(file);
}

const token = mintToken("agent").token;

describe("the agent.json the Agents page offers", () => {
  it("passes the agent's config loader as offered, with one printer to edit", async () => {
    const config = await loadOffered(agentJson("https://farm.example.com", token));
    expect(config.apiUrl).toBe("https://farm.example.com");
    expect(config.agentToken.get()).toBe(token);
    expect(config.warnings).toEqual([]);
    expect(config.machines).toHaveLength(1);
    expect(config.machines[0]!.apiKey.get()).toBe(OCTOPRINT_KEY_PLACEHOLDER);
  });

  it("passes it too with the simulator's printers", async () => {
    const offered = JSON.parse(agentJson("http://127.0.0.1:8080", token));
    offered.machines = SIMULATOR_MACHINES;
    const config = await loadOffered(JSON.stringify(offered));
    expect(config.machines.map((m) => m.url)).toEqual([
      "http://127.0.0.1:5101",
      "http://127.0.0.1:5102",
      "http://127.0.0.1:5103",
    ]);
  });

  it("lists the simulator's printers as the simulator command starts them", async () => {
    expect(SIMULATOR_COMMAND).toContain(
      `--printers ${SIMULATOR.printers} --port ${SIMULATOR.port} --api-key ${SIMULATOR.apiKey}`,
    );
    // Free ports here: the names, hosts and key are what the simulator prints.
    const farm = await startSimulatedFarm({ count: SIMULATOR.printers, apiKey: SIMULATOR.apiKey });
    try {
      expect(
        farm.printers.map((p) => ({ name: p.name, host: new URL(p.url).hostname, key: p.apiKey })),
      ).toEqual(
        SIMULATOR_MACHINES.map((m) => ({
          name: m.custom_name,
          host: new URL(m.url).hostname,
          key: m.api_key,
        })),
      );
    } finally {
      await farm.close();
    }
  });
});
