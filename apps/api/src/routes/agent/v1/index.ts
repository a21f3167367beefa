import { agentReportSchema } from "@apf/printers";
import type { AgentEnv } from "../../../context.ts";
import { agentAuth } from "../../../middleware/agent-auth.ts";
import { exceptOpen } from "../../../middleware/closed-by-default.ts";
import { registerDocumentRoute } from "../../../openapi/document-route.ts";
import { createRouter, registerAgentScheme } from "../../../openapi/kit.ts";
import * as commandProgress from "./command-progress.ts";
import * as commandResult from "./command-result.ts";
import * as commandsPoll from "./commands-poll.ts";
import * as fileDownload from "./file-download.ts";
import * as reports from "./reports.ts";

/** Where app.ts mounts this router. */
export const AGENT_BASE_PATH = "/agent/v1";

/** The only /agent/v1 route without an agent token. */
export const OPEN_AGENT_ROUTES = [`GET ${AGENT_BASE_PATH}/openapi.json`] as const;

/**
 * /agent/v1: where agents report. Every route but OPEN_AGENT_ROUTES needs an apf_agent_ token:
 * agent-auth runs for every path of the surface, listed or not (agentOperations), and those
 * routes' handlers see the agent (AgentEnv).
 */
export function agentRoutes() {
  const router = createRouter();
  registerAgentScheme(router.openAPIRegistry);
  router.openAPIRegistry.register(reports.AGENT_REPORT_COMPONENT, agentReportSchema);
  router.route("/", agentOperations());
  registerDocumentRoute(router, {
    info: {
      title: "apf agent API",
      version: "1.0.0",
      description:
        "Where apf agents report what they see of a farm's OctoPrint hosts, and take the commands they carry to them. Authentication: `Authorization: Bearer apf_agent_…` (an agent created in the dashboard).",
    },
    tags: [
      { name: "Agent", description: "Reports and the command channel of the farm agent." },
      { name: "Documentation", description: "This document." },
    ],
    basePath: AGENT_BASE_PATH,
    prefix: "server",
    operationId: "agentOpenApiDocument",
    routeTags: ["Documentation"],
  });
  return router;
}

/** The agent's operations, behind agent-auth (which also guards every unlisted path). */
function agentOperations() {
  const router = createRouter<AgentEnv>();
  router.use("*", exceptOpen(OPEN_AGENT_ROUTES, agentAuth));
  router.openapi(reports.route, reports.handler);
  router.openapi(commandsPoll.route, commandsPoll.handler);
  router.openapi(commandResult.route, commandResult.handler);
  router.openapi(commandProgress.route, commandProgress.handler);
  router.openapi(fileDownload.route, fileDownload.handler);
  return router;
}
