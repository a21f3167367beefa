import type { AddressInfo } from "node:net";
import type { Services } from "../../context.ts";
import type { Env } from "../../env.ts";
import { startDemoFarm } from "./farm.ts";
import { DEMO_KEY_SCOPES, type DemoSecrets, seedDemo } from "./seed.ts";

/** Demo data and live simulated printers: by default only on the embedded database. */
export function demoEnabled(env: Env, dbKind: Services["dbKind"]): boolean {
  if (env.APF_DEMO === "off") return false;
  if (env.APF_DEMO === "on") return true;
  return dbKind === "embedded";
}

function baseUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

function banner(base: string, secrets: DemoSecrets): string {
  return [
    "",
    "  apf demo: embedded database, 3 simulated OctoPrint printers and an agent in this process.",
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
 * Returns null (and does nothing) when the demo is off.
 */
export async function startDemo(
  services: Services,
  env: Env,
  address: AddressInfo,
): Promise<{ stop(): Promise<void> } | null> {
  if (!demoEnabled(env, services.dbKind)) return null;
  const secrets = await seedDemo(services.db, env.APF_DATA_DIR);
  const base = baseUrl(env.HOST, address.port);
  const farm = await startDemoFarm({
    apiUrl: base,
    secrets,
    logger: services.logger.child({ component: "demo-agent" }),
  });
  process.stdout.write(`${banner(base, secrets)}\n`);
  return farm;
}
