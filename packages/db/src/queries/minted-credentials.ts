import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, apiKeys } from "../schema/index.ts";

/**
 * The organization's API keys and agents that `userId` minted and that still work at `now`
 * (not revoked, not expired): what a remover may want to revoke when that person leaves.
 * Never a hash: id, name and preview only.
 */
export async function listLiveCredentialsMintedBy(
  db: Queryable,
  organizationId: string,
  userId: string,
  now: Date,
) {
  const keys = await db
    .select({ id: apiKeys.id, name: apiKeys.name, preview: apiKeys.preview })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.organizationId, organizationId),
        eq(apiKeys.createdBy, userId),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  const agentRows = await db
    .select({ id: agents.id, name: agents.name, preview: agents.preview })
    .from(agents)
    .where(
      and(
        eq(agents.organizationId, organizationId),
        eq(agents.createdBy, userId),
        isNull(agents.revokedAt),
      ),
    )
    .orderBy(asc(agents.createdAt), asc(agents.id));
  return { apiKeys: keys, agents: agentRows };
}
