import { inArray } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, apiKeys } from "../schema/index.ts";

/** A stored credential found by the hash of a token reported as leaked. */
export interface ReportedCredential {
  kind: "api_key" | "agent";
  id: string;
  organizationId: string;
  hash: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * The API keys and agents whose token hashes are among `hashes`, whatever their organization:
 * a leaked token names its organization by itself (like authentication, not a tenant query).
 */
export async function findCredentialsByHash(
  db: Queryable,
  hashes: string[],
): Promise<ReportedCredential[]> {
  if (hashes.length === 0) return [];
  const [keys, agentRows] = await Promise.all([
    db
      .select({
        id: apiKeys.id,
        organizationId: apiKeys.organizationId,
        hash: apiKeys.keyHash,
        revokedAt: apiKeys.revokedAt,
        expiresAt: apiKeys.expiresAt,
      })
      .from(apiKeys)
      .where(inArray(apiKeys.keyHash, hashes)),
    db
      .select({
        id: agents.id,
        organizationId: agents.organizationId,
        hash: agents.tokenHash,
        revokedAt: agents.revokedAt,
      })
      .from(agents)
      .where(inArray(agents.tokenHash, hashes)),
  ]);
  return [
    ...keys.map((k) => ({ kind: "api_key" as const, ...k })),
    ...agentRows.map((a) => ({ kind: "agent" as const, ...a, expiresAt: null })),
  ];
}
