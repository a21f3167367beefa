import { Hono } from "hono";
import type { AppEnv } from "../../../context.ts";
import { agentAuth } from "../../../middleware/agent-auth.ts";
import { registerCommands } from "./commands.ts";
import { registerReports } from "./reports.ts";

/** /agent/v1: where agents report. Every route needs an apf_agent_ token. */
export function agentRoutes() {
  const router = new Hono<AppEnv>();
  router.use("*", agentAuth);
  registerReports(router);
  registerCommands(router);
  return router;
}
