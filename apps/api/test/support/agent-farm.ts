import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@apf/agent/config";
import { runAgent } from "@apf/agent-core";
import {
  type SimulatedFarm,
  type SimulatedFarmOptions,
  startSimulatedFarm,
} from "@apf/printers/simulator";
import type { TestServices } from "./services.ts";

/** Simulated OctoPrint hosts, and a real agent reporting them once `runAgent` is called. */
export interface AgentFarm {
  farm: SimulatedFarm;
  /** The private directory agent.json is written to (relative paths in it resolve here). */
  dir: string;
  /**
   * Does the technician's part: `config` (an agent.json as the Agents page hands it over, or as
   * the test builds it) with every simulated host as an OCTOPRINT machine named `name(index)`
   * and a poll every second, saved as agent.json (mode 600); then runs the agent from that file
   * until `close`.
   */
  runAgent(config: Record<string, unknown>, name: (index: number) => string): Promise<void>;
  /** Stops the agent (and waits for it), then the hosts; removes the directory. */
  close(): Promise<void>;
}

/**
 * A farm for the browser tests, like the demo: simulated OctoPrint hosts answering `apiKey`
 * (started now) and a real agent (`@apf/agent`'s config loader, `@apf/agent-core`'s loop)
 * logging through the services' logger.
 */
export async function startAgentFarm(
  services: Pick<TestServices, "logger">,
  options: SimulatedFarmOptions & { apiKey: string },
): Promise<AgentFarm> {
  const farm = await startSimulatedFarm(options);
  const dir = mkdtempSync(join(tmpdir(), "apf-agent-farm-"));
  const stop = new AbortController();
  let running: Promise<void> = Promise.resolve();
  return {
    farm,
    dir,
    async runAgent(config, name) {
      const file = join(dir, "agent.json");
      const machines = farm.printers.map((p, i) => ({
        type: "OCTOPRINT",
        url: p.url,
        api_key: options.apiKey,
        custom_name: name(i),
      }));
      writeFileSync(file, JSON.stringify({ ...config, poll_interval_s: 1, machines }), {
        mode: 0o600,
      });
      running = runAgent(await loadConfig(file), {
        logger: services.logger.child({ component: "test-agent" }),
        signal: stop.signal,
        shutdownFlushMs: 500,
      });
    },
    async close() {
      stop.abort();
      await running;
      await farm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
