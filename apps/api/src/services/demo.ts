import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Http2SecureServer, Http2Server } from "node:http2";
import { join } from "node:path";
import { hashPassword } from "@apf/auth";
import { createAccount, findUserByEmail } from "@apf/db/queries";
import type { Services } from "../context.ts";
import type { Env } from "../env.ts";

export const DEMO_EMAIL = "demo@apf.local";

interface DemoCredentials {
  email: string;
  password: string;
}

export function demoEnabled(env: Env, services: Services): boolean {
  if (env.APF_DEMO === "off") return false;
  if (env.APF_DEMO === "on") return true;
  return services.dbKind === "embedded";
}

/**
 * On the embedded database with no configuration, seeds a demo organization on first start and
 * prints how to sign in. The credentials live in the data directory (local, demo only) so that
 * later starts can print them again. Nothing is seeded when DATABASE_URL is set.
 */
export async function startDemo(
  services: Services,
  env: Env,
  _server: Server | Http2Server | Http2SecureServer,
): Promise<{ stop(): Promise<void> } | null> {
  if (!demoEnabled(env, services)) return null;
  const file = join(env.APF_DATA_DIR, "demo-credentials.json");
  let credentials: DemoCredentials | null = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as DemoCredentials)
    : null;
  const existing = await findUserByEmail(services.db, DEMO_EMAIL);
  if (!existing) {
    credentials = { email: DEMO_EMAIL, password: randomBytes(12).toString("base64url") };
    await createAccount(services.db, {
      email: credentials.email,
      passwordHash: await hashPassword(credentials.password),
      name: "Demo Owner",
      organizationName: "Demo Print Farm",
    });
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  }
  const base = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  const lines = [
    "",
    "  apf demo (embedded database; set DATABASE_URL for a real deployment)",
    `  dashboard owner: ${credentials?.email ?? DEMO_EMAIL}  password: ${credentials?.password ?? "(see demo-credentials.json)"}`,
    `  sign in:  curl -s -X POST ${base}/api/auth/login -H 'content-type: application/json' -d '{"email":"${credentials?.email ?? DEMO_EMAIL}","password":"${credentials?.password ?? "…"}"}'`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return { async stop() {} };
}
