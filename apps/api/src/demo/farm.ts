import { type AgentConfig, inlineSecret, normalizeUrl, runAgent } from "@apf/agent-core";
import { startSimulatedFarm } from "@apf/printers/simulator";
import type { Logger } from "pino";
import type { DemoSecrets } from "./seed.ts";

export const DEMO_PRINTERS = 3;

/**
 * Three simulated OctoPrint hosts that print what the queue sends them, and a real agent (in this
 * process) polling them and reporting to this API, so the demo's printers are live.
 */
export async function startDemoFarm(options: {
  apiUrl: string;
  secrets: DemoSecrets;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const farm = await startSimulatedFarm({
    count: DEMO_PRINTERS,
    apiKey: options.secrets.octoprint_api_key,
    // Idle until the queue sends them a file (OctoPrint's upload-and-print), as a real farm.
    startIdle: true,
    uploads: { timeScale: 1, heatS: 8 },
  });
  // The agent core with the configuration a technician's agent.json would give it.
  const apiKey = inlineSecret(options.secrets.octoprint_api_key);
  const agentConfig: AgentConfig = {
    configPath: "(demo)",
    apiUrl: options.apiUrl.replace(/\/+$/, ""),
    agentToken: inlineSecret(options.secrets.agent_token),
    pollIntervalS: 2,
    requestTimeoutS: 5,
    warnings: [],
    machines: farm.printers.map((printer, i) => {
      const id = `demo-printer-${i + 1}`;
      return {
        id,
        name: id,
        type: "OCTOPRINT" as const,
        url: normalizeUrl(printer.url),
        baseUrl: printer.url,
        apiKey,
        label: `machines[${i}] ("${id}")`,
      };
    }),
  };

  const controller = new AbortController();
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
