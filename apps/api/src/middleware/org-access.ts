import type { Role } from "@apf/db";
import { findMembership } from "@apf/db/queries/members";
import { createMiddleware } from "hono/factory";
import type { SessionEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import type { OrgActor } from "../modules/audit/audit.ts";
import { canManage } from "../modules/members/owner-rules.ts";
import { isUuid } from "../openapi/fields.ts";

/** The organization of the request and the caller's role in it. */
export interface OrgAccess {
  organizationId: string;
  role: Role;
}

/**
 * The environment of routes under /api/orgs/{orgId}: the session's, plus c.get("org"), and the
 * member as actor in that organization.
 */
export interface OrgEnv {
  Variables: SessionEnv["Variables"] & { org: OrgAccess; actor: OrgActor };
}

/**
 * After session-auth: the caller must be a member of the organization in the path. Anyone else,
 * and any id that is not an organization, gets the same 404 so that organization ids cannot be
 * probed.
 */
export const orgAccess = createMiddleware<OrgEnv>(async (c, next) => {
  const organizationId = c.req.param("orgId");
  const membership =
    organizationId && isUuid(organizationId)
      ? await findMembership(c.get("services").db, organizationId, c.get("session").userId)
      : undefined;
  if (!membership) throw new ApiError("NOT_FOUND", "No such organization.");
  const orgId = organizationId!.toLowerCase();
  c.set("org", { organizationId: orgId, role: membership.role });
  // The member acts in this organization from here on.
  c.set("actor", { ...c.get("actor"), organizationId: orgId });
  await next();
});

/** Route middleware: 403 FORBIDDEN unless the caller is an owner or admin of the organization. */
export const requireManager = createMiddleware<OrgEnv>(async (c, next) => {
  if (!canManage(c.get("org").role)) {
    throw new ApiError("FORBIDDEN", "Only owners and admins of the organization may do this.");
  }
  await next();
});
