import { updateOrganization } from "@apf/db/queries/organizations";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordUpdate } from "../../../modules/audit/record-update.ts";
import { invalidateOrganizationKeys } from "../../../modules/keys/key-cache.ts";
import {
  dataResponse,
  errors,
  jsonBody,
  nonEmptyPatch,
  ok,
  SESSION_SECURITY,
  text,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import {
  allowedOriginsSchema,
  organizationSchema,
  timeZoneSchema,
  toOrganization,
} from "./schemas.ts";

const SPACING = "must be a whole number of seconds from 0 to 3600";

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}",
  operationId: "dashboardUpdateOrganization",
  tags: TAGS,
  summary:
    "Rename the organization, set its allowed browser origins, queue settings or time zone (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParams,
    body: jsonBody(
      nonEmptyPatch(
        z
          .object({
            name: text(100).optional(),
            allowed_origins: allowedOriginsSchema.optional(),
            time_zone: timeZoneSchema.optional(),
            auto_start: z.boolean({ error: "must be true or false" }).optional(),
            start_spacing_seconds: z.int(SPACING).min(0, SPACING).max(3600, SPACING).optional(),
          })
          .strict(),
      ),
    ),
  },
  responses: {
    200: dataResponse(organizationSchema, "The organization as changed."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const org = await db.transaction(async (tx) => {
    const updated = await updateOrganization(
      tx,
      organizationId,
      {
        name: body.name,
        allowedOrigins: body.allowed_origins,
        autoStart: body.auto_start,
        startSpacingSeconds: body.start_spacing_seconds,
        timeZone: body.time_zone,
      },
      clock.now(),
    );
    return recordUpdate(
      tx,
      { origin: c.get("actor"), organizationId: c.get("org").organizationId },
      updated,
      {
        action: "organization.updated",
        target: { type: "organization", id: organizationId },
        changes: body,
        notFound: "No such organization.",
      },
    );
  });
  // Verified keys carry the organization's name and CORS origins: reload them everywhere.
  await invalidateOrganizationKeys(c.get("services"), organizationId);
  // Auto-start switched on: the queue may have jobs for ready printers now.
  c.get("services").dispatcher.wake(organizationId);
  return json(c, ok(toOrganization(org)), 200);
};
