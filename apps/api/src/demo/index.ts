import type { AddressInfo } from "node:net";
import type { Services } from "../context.ts";
import type { Env } from "../env.ts";
import { startDemoFarm } from "./farm.ts";
import { startDemoQueue } from "./queue.ts";
import { DEMO_KEY_SCOPES, type DemoSecrets, seedDemo } from "./seed.ts";

function baseUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

function banner(base: string, secrets: DemoSecrets): string {
  return [
    "",
    "  apf demo: embedded database, 3 simulated OctoPrint printers and an agent in this process;",
    "  three sliced files and a queue with auto_start on: the farm runs itself (a simulated",
    "  technician clears each bed a little after its print ends).",
    "  (Set DATABASE_URL for a real deployment; nothing is seeded then.)",
    "",
    `  dashboard:  ${base}/dashboard`,
    `    sign in as ${secrets.email}  /  ${secrets.password}`,
    `  API key (${DEMO_KEY_SCOPES.join(" ")}):`,
    `    ${secrets.api_key}`,
    "",
    "  try it:",
    `    curl -s ${base}/public/v1/printers -H 'Authorization: Bearer ${secrets.api_key}'`,
    `    curl -s -X POST ${base}/public/v1/printers/<id of a printing one>/control -H 'Authorization: Bearer ${secrets.api_key}' -H 'Content-Type: application/json' -d '{"action":"pause"}'`,
    "",
    `  API docs: ${base}/docs`,
    "",
  ].join("\n");
}

/**
 * Seeds the demo on first start and runs its farm; prints how to sign in and a curl line.
 * Loaded by server.ts only when the demo is on (demoEnabled in env.ts).
 */
export async function startDemo(
  services: Services,
  env: Env,
  address: AddressInfo,
): Promise<{ stop(): Promise<void> }> {
  const secrets = await seedDemo(services.db, env.APF_DATA_DIR);
  const base = baseUrl(env.HOST, address.port);
  const farm = await startDemoFarm({
    apiUrl: base,
    secrets,
    logger: services.logger.child({ component: "demo-agent" }),
  });
  const queue = await startDemoQueue(services, services.logger.child({ component: "demo-queue" }));
  process.stdout.write(`${banner(base, secrets)}\n`);
  return {
    async stop() {
      queue.stop();
      await farm.stop();
    },
  };
}
