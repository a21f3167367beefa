import { MAX_MACHINES_PER_REPORT, MAX_REPORT_BYTES, parseAgentReport } from "@apf/printers";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { ingestReport } from "../../../services/ingest.ts";

const tooLarge = () =>
  new ApiError(
    "PAYLOAD_TOO_LARGE",
    `A report may carry at most ${MAX_MACHINES_PER_REPORT} machines and ${MAX_REPORT_BYTES / 1024 / 1024} MiB; split it.`,
  );

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the report as application/json.");
  }
  try {
    return await request.json();
  } catch {
    throw new ApiError("INVALID_REQUEST", "The request body is not valid JSON.");
  }
}

/**
 * POST /agent/v1/reports: one poll round of an agent. Validated whole before anything is
 * written (400 names the first offending `path` and its `machine_index`), applied in one transaction, answered 202.
 */
export function registerReports(router: Hono<AppEnv>) {
  router.post(
    "/reports",
    bodyLimit({
      maxSize: MAX_REPORT_BYTES,
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const body = await readJson(c.req.raw);
      const machines = (body as { machines?: unknown } | null)?.machines;
      if (Array.isArray(machines) && machines.length > MAX_MACHINES_PER_REPORT) throw tooLarge();

      const parsed = parseAgentReport(body);
      if (!parsed.success) {
        const first = parsed.issues[0]!;
        const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : "";
        throw new ApiError(
          "INVALID_REQUEST",
          `Invalid report at "${first.path || "(body)"}": ${first.message}${more}. Nothing was applied.`,
          {},
          { path: first.path, machine_index: first.machineIndex },
        );
      }
      const { db, clock, logger } = c.var.services;
      const agent = c.var.agent;
      const summary = await ingestReport(db, agent, parsed.data, clock.now());
      logger.debug({ agent_id: agent.agentId, ...summary }, "report applied");
      return c.json({ success: true as const, data: summary }, 202);
    },
  );
}
