import { hashToken, parseToken } from "@apf/auth";
import type { Database } from "@apf/db";
import { findCredentialsByHash } from "@apf/db/queries/leaked-credentials";
import type { Services } from "../../context.ts";
import { type Actor, SYSTEM_ACTOR } from "../audit/audit.ts";
import {
  AGENT_CREDENTIAL,
  API_KEY_CREDENTIAL,
  type RevokeServices,
  revokeCredential,
} from "./revoke-credential.ts";

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

const KINDS = { api_key: API_KEY_CREDENTIAL, agent: AGENT_CREDENTIAL };

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
  services: RevokeServices & Pick<Services, "clock">,
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
  const origin: Actor = {
    ...SYSTEM_ACTOR,
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
