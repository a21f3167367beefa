import { randomBytes } from "node:crypto";
import { hashPassword, mintToken, SCOPES, type Scope } from "@apf/auth";
import type { Database } from "@apf/db";
import { createAccount, insertAgent, insertApiKey } from "@apf/db/queries";

let cachedHash: Promise<string> | undefined;
/** One argon2 hash for every factory user (hashing is deliberately slow). */
export const FACTORY_PASSWORD = "correct horse battery staple";
function factoryPasswordHash() {
  cachedHash ??= hashPassword(FACTORY_PASSWORD);
  return cachedHash;
}

/** A fresh organization with its owner. */
export async function createOrganization(db: Database, name = "Test Farm") {
  const email = `owner-${randomBytes(5).toString("hex")}@example.test`;
  const { user, organization } = await createAccount(db, {
    email,
    passwordHash: await factoryPasswordHash(),
    name: "Owner",
    organizationName: name,
  });
  return { owner: user, organization, password: FACTORY_PASSWORD };
}

/** A minted API key stored for the organization; returns the full key once, like the API. */
export async function createApiKey(
  db: Database,
  organizationId: string,
  options: {
    scopes?: Scope[];
    expiresAt?: Date | null;
    rateLimitPerMinute?: number | null;
    name?: string;
  } = {},
) {
  const minted = mintToken("live");
  const row = await insertApiKey(db, {
    organizationId,
    name: options.name ?? "test key",
    keyHash: minted.hash,
    preview: minted.preview,
    scopes: options.scopes ?? [...SCOPES],
    expiresAt: options.expiresAt ?? null,
    rateLimitPerMinute: options.rateLimitPerMinute ?? null,
  });
  return { ...row, key: minted.token };
}

/** A minted agent token stored for the organization. */
export async function createAgent(db: Database, organizationId: string, name = "farm agent") {
  const minted = mintToken("agent");
  const row = await insertAgent(db, {
    organizationId,
    name,
    tokenHash: minted.hash,
    preview: minted.preview,
  });
  return { ...row, token: minted.token };
}
