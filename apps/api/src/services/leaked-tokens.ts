import { hashToken, parseToken } from "@apf/auth";
import type { Database } from "@apf/db";
import { findAgentForUpdate } from "@apf/db/queries/agent-admin";
import { revokeAgent } from "@apf/db/queries/agents";
import { findApiKeyForUpdate } from "@apf/db/queries/api-key-admin";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { findCredentialsByHash } from "@apf/db/queries/leaked-credentials";
import type { Services } from "../context.ts";
import type { AuditOrigin } from "./audit.ts";
import { type CredentialKind, revokeCredential } from "./revoke-credential.ts";

/** One token GitHub found in public (tokens.md, "Leaked keys are revoked by themselves"). */
export interface LeakReport {
  token: string;
  type: string;
  url?: string | null;
  source?: string | null;
}

/** What GitHub is told of one reported token. */
export interface LeakVerdict {
  token_hash: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

const KINDS: Record<"api_key" | "agent", CredentialKind> = {
  api_key: {
    type: "api_key",
    notFound: "No such API key.",
    findForUpdate: findApiKeyForUpdate,
    revoke: revokeApiKey,
  },
  agent: {
    type: "agent",
    notFound: "No such agent.",
    findForUpdate: findAgentForUpdate,
    revoke: revokeAgent,
  },
};

/** The hash of a well-formed apf_live_/apf_agent_ token; null for anything else. */
function revocableHash(token: string): string | null {
  for (const kind of ["live", "agent"] as const) {
    const parsed = parseToken(token, kind);
    if (parsed.ok) return parsed.hash;
  }
  return null;
}

/**
 * Revokes every reported token that is a live API key or agent token (through the one revoke
 * service, audited as `key.revoked_leaked` with the report's url and source), and answers one
 * verdict per reported token: true_positive when it was live, false_positive when it was
 * unknown, malformed, expired or already revoked.
 */
export async function revokeLeakedTokens(
  services: Pick<Services, "db" | "clock" | "redis" | "logger">,
  reports: LeakReport[],
): Promise<LeakVerdict[]> {
  const db: Database = services.db;
  const now = services.clock.now();
  const hashes = reports.map((r) => revocableHash(r.token));
  const found = await findCredentialsByHash(
    db,
    hashes.filter((h): h is string => h !== null),
  );
  const byHash = new Map(found.map((c) => [c.hash, c]));
  const origin: AuditOrigin = {
    actorType: "system",
    actorId: null,
    ip: null,
    userAgent: "GitHub secret scanning",
  };

  const verdicts: LeakVerdict[] = [];
  for (const [index, report] of reports.entries()) {
    const hash = hashes[index];
    const credential = hash ? byHash.get(hash) : undefined;
    let label: LeakVerdict["label"] = "false_positive";
    const live =
      credential && !credential.revokedAt && !(credential.expiresAt && credential.expiresAt <= now);
    if (credential && live) {
      const revoked = await revokeCredential(
        services,
        { origin, organizationId: credential.organizationId, now },
        KINDS[credential.kind],
        credential.id,
        {
          reason: "leaked",
          action: "key.revoked_leaked",
          details: { url: report.url ?? null, source: report.source ?? null },
        },
      );
      if (revoked.revokedNow) label = "true_positive";
    }
    verdicts.push({ token_hash: hashToken(report.token), token_type: report.type, label });
  }
  return verdicts;
}
