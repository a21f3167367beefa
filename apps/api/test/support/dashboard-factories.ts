import { randomBytes } from "node:crypto";
import { mintSessionToken, sessionExpiry } from "@apf/auth";
import { type Database, memberships, printers, type Role, users } from "@apf/db";
import { insertSession } from "@apf/db/queries/sessions";
import type { createApp } from "../../src/app.ts";
import { createOrganization, FACTORY_PASSWORD } from "./factories.ts";
import type { TestServices } from "./services.ts";

type App = ReturnType<typeof createApp>;

/** A dashboard session for the user, stored like the API stores one; returns the token. */
export async function createSession(services: TestServices, userId: string): Promise<string> {
  const minted = mintSessionToken();
  const now = services.clock.now();
  await insertSession(services.db, {
    userId,
    tokenHash: minted.hash,
    ip: null,
    userAgent: null,
    now,
    expiresAt: sessionExpiry(now),
  });
  return minted.token;
}

/** A user (password FACTORY_PASSWORD) with the given role in the organization, and a session. */
export async function createMember(services: TestServices, organizationId: string, role: Role) {
  const email = `${role}-${randomBytes(5).toString("hex")}@example.test`;
  const [owner] = await services.db.select({ hash: users.passwordHash }).from(users).limit(1);
  const [user] = await services.db
    .insert(users)
    .values({ email, name: role, passwordHash: owner!.hash })
    .returning();
  await services.db.insert(memberships).values({ organizationId, userId: user!.id, role });
  return {
    user: user!,
    token: await createSession(services, user!.id),
    password: FACTORY_PASSWORD,
  };
}

/** An organization with an owner, an admin and a member, each with a session. */
export async function createTeam(services: TestServices, name = "Test Farm") {
  const { owner, organization } = await createOrganization(services.db, name);
  const ownerToken = await createSession(services, owner.id);
  const admin = await createMember(services, organization.id, "admin");
  const member = await createMember(services, organization.id, "member");
  return {
    organization,
    owner: { user: owner, token: ownerToken },
    admin,
    member,
  };
}

/** A printer of the organization, as an agent would have reported it. */
export async function createPrinter(
  db: Database,
  organizationId: string,
  fields: Partial<typeof printers.$inferInsert> = {},
) {
  const [row] = await db
    .insert(printers)
    .values({
      organizationId,
      machineId: `machine-${randomBytes(4).toString("hex")}`,
      name: "Prusa MK4 #1",
      status: "idle",
      reachable: true,
      ...fields,
    })
    .returning();
  return row!;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One JSON request to the app; returns status, headers and the parsed body, which tests read
 * through answer, dataOf or failure (dashboard-answers.ts), typed as /api documents it.
 */
export async function call(app: App, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  // Read it with answer, dataOf or failure (dashboard-answers.ts), typed as /api documents it.
  const body: unknown =
    text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, body, text };
}
