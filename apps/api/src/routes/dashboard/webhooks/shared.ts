import type { Context } from "hono";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { auditOrigin } from "../../../services/audit.ts";
import type { EndpointActor } from "../../../services/webhooks/endpoints.ts";
import { orgParamsWith } from "../params.ts";

/** The owner's or admin's organization and audit origin. */
export function memberActor(c: Context<OrgEnv>): EndpointActor {
  return { organizationId: c.get("org").organizationId, origin: auditOrigin(c) };
}

export const endpointParams = orgParamsWith("endpointId");

export const PATH = "/orgs/{orgId}/webhook-endpoints";
