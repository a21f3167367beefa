// Shared by the dashboard's queue routes: the member as the queue's actor.
import type { Context } from "hono";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import type { QueueActor } from "../../../modules/print-queue/operations.ts";

/** The signed-in member as the queue's actor (every member may queue, start and clear beds). */
export function memberActor(c: Context<OrgEnv>): QueueActor {
  return {
    organizationId: c.get("org").organizationId,
    requester: { type: "user", id: c.get("session").userId },
    origin: c.get("actor"),
  };
}
