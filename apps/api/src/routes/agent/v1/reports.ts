import {
  type AgentReport,
  acceptedAsIs,
  agentReportSchema,
  MAX_MACHINES_PER_REPORT,
  MAX_REPORT_BYTES,
  plainJsonText,
  replaceLoneSurrogates,
  reportMachineIndex,
} from "@apf/printers";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { validator } from "hono/validator";
import type { z as zod } from "zod";
import type { AgentEnv, AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { limitBody } from "../../../middleware/body-limit.ts";
import { requestHeader } from "../../../middleware/request-headers.ts";
import { ingestReport } from "../../../modules/ingest/ingest.ts";
import { AGENT_SECURITY, anyErrorSchema, dataResponse, errors } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { dottedPath, fieldIssues } from "../../../openapi/validation.ts";

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

/** The name of the report body's schema in the agent's OpenAPI document (index.ts registers it). */
export const AGENT_REPORT_COMPONENT = "AgentReport";

/**
 * Validation failures of a report: too many machines is 413 (as a too-large body), anything else
 * a 400 naming the first offending path, with `path` and `machine_index` as fields and every
 * issue in `details`.
 */
export function invalidReport(issues: readonly zod.core.$ZodIssue[]): ApiError {
  if (issues.some((i) => i.code === "too_big" && dottedPath(i.path) === "machines")) {
    return tooLarge();
  }
  const first = issues[0];
  const path = first ? dottedPath(first.path) : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new ApiError(
    "INVALID_REQUEST",
    `Invalid report at "${path || "(body)"}": ${first?.message ?? "invalid"}${more}. Nothing was applied.`,
    {},
    {
      path,
      machine_index: first ? reportMachineIndex(first.path) : null,
      details: fieldIssues(issues),
    },
  );
}

/**
 * Reads the body as documented (AgentReport, agentReportSchema): a body the fast path accepts as
 * it is skips zod's copy of it, and every other body is zod's to accept or reject. Lone
 * surrogates (a Python host's non-UTF-8 file name, which Postgres cannot store) are U+FFFD
 * before either looks (a text without any escape that could make one needs no look). Hono's JSON
 * validator reads the body, as the router's own validators do.
 */
const reportBody = validator("json", async (raw, c): Promise<AgentReport> => {
  // The text JSON.parse read (hono keeps it): one scan of it usually spares two walks of the value.
  const plain = plainJsonText(await c.req.text());
  const body = plain ? raw : replaceLoneSurrogates(raw);
  const asIs = acceptedAsIs(body, plain);
  if (asIs) return asIs;
  const parsed = agentReportSchema.safeParse(body);
  if (!parsed.success) throw invalidReport(parsed.error.issues);
  return parsed.data;
});

/** What the handler reads with c.req.valid("json"): the report reportBody accepted. */
type ReportInput = { out: { json: AgentReport } };

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
  middleware: [limitBody(MAX_REPORT_BYTES, tooLarge), requireJson, reportBody] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: { $ref: `#/components/schemas/${AGENT_REPORT_COMPONENT}` } },
      },
    },
  },
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

/** POST /agent/v1/reports: one poll round of an agent. */
export const handler: RouteHandler<typeof route, AgentEnv, ReportInput> = async (c) => {
  const report: AgentReport = c.req.valid("json");
  const { db, clock, logger, orgChanges, config, dispatcher } = c.get("services");
  const agent = c.get("agent");
  const summary = await ingestReport(
    db,
    agent,
    report,
    { receivedAt: clock.now(), staleAfterS: config.APF_STALE_AFTER_S },
    (changes) => orgChanges.announce(changes),
    { wake: () => dispatcher.wake(agent.organizationId) },
  );
  logger.debug({ agent_id: agent.agentId, ...summary }, "report applied");
  // Committed, so visible: observed → visible, per machine (an agent clock ahead counts 0).
  const visibleAt = Date.now();
  const { ingestLag } = c.get("services").metrics;
  for (const m of report.machines) {
    ingestLag.observe(Math.max(0, visibleAt - Date.parse(m.observed_at)) / 1000);
  }
  return json(c, { success: true as const, data: summary }, 202);
};
