import {
  type AgentReport,
  acceptedAsIs,
  agentReportSchema,
  MAX_MACHINES_PER_REPORT,
  MAX_REPORT_BYTES,
  replaceLoneSurrogates,
  reportMachineIndex,
} from "@apf/printers";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { z as zod } from "zod";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { limitBody } from "../../../middleware/body-limit.ts";
import { requestHeader } from "../../../middleware/request-headers.ts";
import {
  AGENT_SECURITY,
  anyErrorSchema,
  dataResponse,
  errors,
  jsonBody,
} from "../../../openapi/kit.ts";
import { dottedPath } from "../../../openapi/router.ts";
import { ingestReport } from "../../../services/ingest.ts";
import { metricsOf } from "../../../services/metrics.ts";

const tooLarge = () =>
  new ApiError(
    "PAYLOAD_TOO_LARGE",
    `A report may carry at most ${MAX_MACHINES_PER_REPORT} machines and ${MAX_REPORT_BYTES / 1024 / 1024} MiB; split it.`,
  );

/** 415 for anything but JSON, before the body is read. */
const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  if (!/^application\/json\b/i.test(requestHeader(c, "content-type") ?? "")) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the report as application/json.");
  }
  await next();
});

/**
 * The body as documented (agentReportSchema); a body the fast path accepts as it is skips zod's
 * copy of it, and every other body is zod's to accept or reject. Lone surrogates (a Python host's
 * non-UTF-8 file name, which Postgres cannot store) are U+FFFD before zod looks; the fast path
 * takes no body with one, so the usual body is walked once.
 */
const reportBodySchema = Object.assign(agentReportSchema.clone(), {
  safeParseAsync: async (raw: unknown) => {
    const asIs = acceptedAsIs(raw);
    return asIs
      ? { success: true as const, data: asIs }
      : agentReportSchema.safeParseAsync(replaceLoneSurrogates(raw));
  },
});

/** The 400 of a report: the envelope plus where the first problem is, for the agent to act on. */
const invalidReportSchema = anyErrorSchema.extend({
  path: z.string().openapi({
    description:
      'Dotted path of the first offending value, e.g. "machines.3.job.file"; "" for the body itself.',
    example: "machines.3.job.file",
  }),
  machine_index: z.int().nullable().openapi({
    description:
      "Index into `machines` of the machine the problem is in, or null when it is not inside one machine (the agent drops that machine and sends the rest).",
    example: 3,
  }),
});

const summarySchema = z.object({
  machines: z.int().openapi({ description: "Machines in the report." }),
  applied: z.int().openapi({ description: "Machines newer than what was stored." }),
  ignored_stale: z
    .int()
    .openapi({ description: "Machines as old as, or older than, what was stored." }),
  printers_created: z.int(),
  jobs_opened: z.int(),
  jobs_closed: z.int(),
  units_counted: z.int(),
});

export const route = createRoute({
  method: "post",
  path: "/reports",
  operationId: "agentPostReport",
  tags: ["Agent"],
  summary: "Report one poll round",
  description:
    "What the agent saw of each OctoPrint host in one poll round. Validated whole before anything is written (a 400 names the first offending path and machine), applied in one transaction, answered 202.",
  security: AGENT_SECURITY,
  middleware: [limitBody(MAX_REPORT_BYTES, tooLarge), requireJson] as const,
  request: { body: jsonBody(reportBodySchema) },
  responses: {
    202: dataResponse(summarySchema, "Applied, in one transaction."),
    400: {
      description:
        "INVALID_REQUEST: the body is not JSON, or a value is invalid; nothing was applied. `path` and `machine_index` say where.",
      content: { "application/json": { schema: invalidReportSchema } },
    },
    ...errors(401, 413, 415, 429, 503),
  },
});

/**
 * Validation failures of a report: too many machines is 413 (as a too-large body), anything else
 * a 400 naming the first offending path, with `path` and `machine_index` as fields.
 */
export function hook(result: {
  success: boolean;
  error?: zod.ZodError;
  target: string;
}): undefined {
  if (result.success || !result.error) return undefined;
  const issues = result.error.issues;
  if (issues.some((i) => i.code === "too_big" && dottedPath(i.path) === "machines")) {
    throw tooLarge();
  }
  const first = issues[0]!;
  const path = dottedPath(first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  throw new ApiError(
    "INVALID_REQUEST",
    `Invalid report at "${path || "(body)"}": ${first.message}${more}. Nothing was applied.`,
    {},
    { path, machine_index: reportMachineIndex(first.path) },
  );
}

/** POST /agent/v1/reports: one poll round of an agent. */
export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const report: AgentReport = c.req.valid("json");
  const { db, clock, logger, orgChanges } = c.get("services");
  const agent = c.get("agent");
  const summary = await ingestReport(db, agent, report, clock.now(), (changes) =>
    orgChanges.announce(changes),
  );
  logger.debug({ agent_id: agent.agentId, ...summary }, "report applied");
  // Committed, so visible: observed → visible, per machine (an agent clock ahead counts 0).
  const visibleAt = Date.now();
  const { ingestLag } = metricsOf(c.get("services"));
  for (const m of report.machines) {
    ingestLag.observe(Math.max(0, visibleAt - Date.parse(m.observed_at)) / 1000);
  }
  return c.json({ success: true as const, data: summary }, 202);
};
