import type { Queryable, Role } from "@apf/db";
import { countOwners, findMembership } from "@apf/db/queries/members";
import { lockOrganization } from "@apf/db/queries/organizations";
import { DomainError } from "../../domain-error.ts";

/** Owners and admins manage (keys, agents, members, settings); members only read. */
export function canManage(role: Role): boolean {
  return role === "owner" || role === "admin";
}

/**
 * Whether `actor` may move a member from role `from` to role `to` (null: not a member). Only
 * owners make or unmake owners, so an admin can never raise themselves or remove the people
 * above them.
 */
export function canAssignRole(actor: Role, from: Role | null, to: Role | null): boolean {
  if (!canManage(actor)) return false;
  if (from === "owner" || to === "owner") return actor === "owner";
  return true;
}

/**
 * Opens a membership change: locks the organization (changes of one organization happen one at
 * a time) and reads the actor's role again under the lock, so that an owner demoted a moment
 * ago cannot still act as one.
 */
export async function lockForMemberChange(
  tx: Queryable,
  organizationId: string,
  actorUserId: string,
): Promise<Role> {
  await lockOrganization(tx, organizationId);
  const actor = await findMembership(tx, organizationId, actorUserId);
  if (!actor) throw new DomainError("NOT_FOUND", "No such organization.");
  if (!canManage(actor.role)) {
    throw new DomainError("FORBIDDEN", "Only owners and admins of the organization may do this.");
  }
  return actor.role;
}

/** 403 unless `actor` may move a member from `from` to `to` (only owners make or unmake owners). */
export function assertMayAssign(actor: Role, from: Role | null, to: Role | null): void {
  if (!canAssignRole(actor, from, to)) {
    throw new DomainError("FORBIDDEN", "Only owners may grant or take away the owner role.");
  }
}

/**
 * 409 when moving a member from `from` to `to` (null: removing them) would leave the
 * organization without an owner. Call it after lockForMemberChange in the change's transaction,
 * so that two owners cannot demote each other at the same moment.
 */
export async function assertKeepsAnOwner(
  tx: Queryable,
  organizationId: string,
  from: Role,
  to: Role | null,
): Promise<void> {
  if (from !== "owner" || to === "owner") return;
  if ((await countOwners(tx, organizationId)) <= 1) {
    throw new DomainError(
      "CONFLICT",
      "The organization's last owner cannot be removed or demoted; make someone else owner first.",
    );
  }
}
