import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { OrgEnv } from "../../middleware/org-access.ts";
import { auditOrigin } from "../../services/audit.ts";
import {
  type CredentialKind,
  revokeCredential as revokeCredentialService,
} from "../../services/revoke-credential.ts";
import { timestamp } from "./openapi.ts";

/** What a revoke answers: the credential and when it was (first) revoked. */
export const revokedSchema = z.object({ id: z.uuid(), revoked_at: timestamp });

export type { CredentialKind } from "../../services/revoke-credential.ts";

/** The dashboard's revoke: the session's user, from this request, through the one service. */
export async function revokeCredential(
  c: Context<OrgEnv>,
  kind: CredentialKind,
  id: string,
): Promise<{ id: string; revokedAt: Date }> {
  const { db, clock } = c.var.services;
  return revokeCredentialService(
    db,
    { origin: auditOrigin(c), organizationId: c.var.org.organizationId, now: clock.now() },
    kind,
    id,
  );
}
