import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runAgent } from "@apf/agent";
import { loadConfig } from "@apf/agent/config";
import { startSimulatedFarm } from "@apf/printers/simulator";
import type { Logger } from "pino";
import { DEMO_PRINT_FILES, type DemoSecrets } from "./seed.ts";

export const DEMO_PRINTERS = 3;

/**
 * Three simulated OctoPrint hosts printing the demo files in a loop, and a real agent (in this
 * process) polling them and reporting to this API, so the demo's printers are live.
 */
export async function startDemoFarm(options: {
  apiUrl: string;
  dataDir: string;
  secrets: DemoSecrets;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const farm = await startSimulatedFarm({
    count: DEMO_PRINTERS,
    apiKey: options.secrets.octoprint_api_key,
    autoPrint: { files: DEMO_PRINT_FILES, durationS: 150, idleS: 20, heatS: 15 },
  });
  // A real agent.json, the same file format a technician writes (see apps/agent/README.md).
  const configPath = resolve(join(options.dataDir, "demo-agent.json"));
  const config = {
    api_url: options.apiUrl,
    agent_token: options.secrets.agent_token,
    poll_interval_s: 2,
    machines: farm.printers.map((printer, i) => ({
      type: "OCTOPRINT",
      url: printer.url,
      custom_name: `demo-printer-${i + 1}`,
      api_key: options.secrets.octoprint_api_key,
    })),
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const controller = new AbortController();
  const agentConfig = await loadConfig(configPath);
  const running = runAgent(agentConfig, {
    logger: options.logger,
    signal: controller.signal,
    shutdownFlushMs: 1000,
  });
  return {
    async stop() {
      controller.abort();
      await running;
      await farm.close();
    },
  };
}
