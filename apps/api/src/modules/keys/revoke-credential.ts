import type { Queryable, RevokedReason } from "@apf/db";
import { findAgentForUpdate } from "@apf/db/queries/agent-admin";
import { revokeAgent } from "@apf/db/queries/agents";
import { findApiKeyForUpdate } from "@apf/db/queries/api-key-admin";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import type { Actor, AuditAction } from "../audit/audit.ts";
import { agentTopic } from "../control/bus.ts";
import { agentEvent } from "../events/data.ts";
import { type ChangeEvent, recordChange } from "../events/record-change.ts";
import { invalidateApiKeys } from "./key-cache.ts";

/** What a revoke needs besides the database: the key caches and the agents' command channels. */
export type RevokeServices = Pick<Services, "db" | "redis" | "logger" | "commandBus" | "config">;

/** A credential the organization minted, as its revoke reads it. */
interface Credential {
  id: string;
  name: string;
  preview: string;
  revokedAt: Date | null;
  /** An agent's: whether it was announced connected (agent.connected) and not since gone silent. */
  connected?: boolean;
}

/** What a revoke's events are read from, in its transaction after the revoke. */
interface Revoked {
  organizationId: string;
  credential: Credential;
  revokedAt: Date;
  reason: RevokedReason;
  staleAfterS: number;
}

/** How to revoke one kind of credential: an API key or an agent's token. */
export interface CredentialKind {
  /** The audit target type; the audit action is `<type>.revoked` unless told otherwise. */
  type: "api_key" | "agent";
  /** The NOT_FOUND message when the organization has no such credential. */
  notFound: string;
  /** The credential, locked until the transaction ends; undefined when none. */
  findForUpdate(db: Queryable, organizationId: string, id: string): Promise<Credential | undefined>;
  /** Sets its revoked_at to `at` and why. */
  revoke(
    db: Queryable,
    organizationId: string,
    id: string,
    at: Date,
    reason: RevokedReason,
  ): Promise<{ id: string; revokedAt: Date | null } | undefined>;
  /**
   * What must follow a committed revoke so that it takes effect at once on every instance (run
   * also on a repeat, so a retry after a failure completes it).
   */
  afterRevoke(services: RevokeServices, organizationId: string, id: string): Promise<void>;
  /** The events of a revoke (in its transaction, after it). */
  events(tx: Queryable, revoked: Revoked): Promise<ChangeEvent[]>;
}

/** API keys, as every revoke path finds and revokes them. */
export const API_KEY_CREDENTIAL: CredentialKind = {
  type: "api_key",
  notFound: "No such API key in this organization.",
  findForUpdate: findApiKeyForUpdate,
  revoke: revokeApiKey,
  // Every instance's key cache forgets it before the revoke answers.
  afterRevoke: (services, organizationId, id) => invalidateApiKeys(services, organizationId, [id]),
  // An API key's streams end on this event, on every instance (modules/events/stream.ts).
  events: async (_tx, { credential, revokedAt, reason }) => [
    {
      type: "api_key.revoked",
      data: {
        id: credential.id,
        name: credential.name,
        preview: credential.preview,
        revoked_at: revokedAt.toISOString(),
        revoked_reason: reason,
      },
    },
  ],
};

/** Agents' tokens, as every revoke path finds and revokes them. */
export const AGENT_CREDENTIAL: CredentialKind = {
  type: "agent",
  notFound: "No such agent in this organization.",
  findForUpdate: findAgentForUpdate,
  revoke: revokeAgent,
  // Its open command channel, on whatever instance, closes now rather than at the poll's end.
  afterRevoke: (services, _organizationId, id) => services.commandBus.publish(agentTopic(id)),
  // A connected agent is disconnected by its revoke (it cannot report again); the staleness
  // sweep, which announces only connected agents, then has nothing left to announce.
  events: async (tx, { organizationId, credential, revokedAt, staleAfterS }) =>
    credential.connected
      ? [
          await agentEvent(
            { now: revokedAt, staleAfterS },
            tx,
            organizationId,
            credential.id,
            "agent.disconnected",
          ),
        ]
      : [],
};

/** Why and how a revoke is recorded; a person's revoke by default. */
export interface RevokeOptions {
  reason?: RevokedReason;
  action?: AuditAction;
  /** Added to the audit event's details (never a secret: details are scrubbed anyway). */
  details?: Record<string, unknown>;
}

/**
 * Revokes one of the organization's credentials, in one transaction with its audit event. Every
 * revoke goes through here (dashboard, leaked-token report), so what must follow one (the kind's
 * `afterRevoke`: an API key leaves every instance's key cache, an agent's open command channel
 * closes) happens on every path, before this returns (also on a repeat, so a retry after a
 * failed step completes it). Revoking twice is harmless: the first revoked_at is kept and no
 * second event is recorded; `revokedNow` says which happened.
 */
export async function revokeCredential(
  services: RevokeServices,
  actor: { origin: Actor; organizationId: string; now: Date },
  kind: CredentialKind,
  id: string,
  options: RevokeOptions = {},
): Promise<{ id: string; revokedAt: Date; revokedNow: boolean }> {
  const { organizationId } = actor;
  const row = await services.db.transaction(async (tx) => {
    const existing = await kind.findForUpdate(tx, organizationId, id);
    if (!existing) throw new DomainError("NOT_FOUND", kind.notFound);
    if (existing.revokedAt) return { ...existing, revokedNow: false };
    const reason = options.reason ?? "manual";
    const revoked = await kind.revoke(tx, organizationId, id, actor.now, reason);
    await recordChange(tx, actor.origin, {
      organizationId,
      audit: {
        action: options.action ?? `${kind.type}.revoked`,
        target: { type: kind.type, id: existing.id },
        details: { name: existing.name, preview: existing.preview, ...options.details },
      },
      events: await kind.events(tx, {
        organizationId,
        credential: existing,
        revokedAt: revoked!.revokedAt ?? actor.now,
        reason,
        staleAfterS: services.config.APF_STALE_AFTER_S,
      }),
    });
    return { ...revoked!, revokedNow: true };
  });
  await kind.afterRevoke(services, organizationId, row.id);
  return { id: row.id, revokedAt: row.revokedAt!, revokedNow: row.revokedNow };
}
