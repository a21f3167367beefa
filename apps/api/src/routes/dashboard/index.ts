import type { SessionEnv } from "../../context.ts";
import { exceptOpen } from "../../middleware/closed-by-default.ts";
import { sameOriginCookieWrites } from "../../middleware/csrf.ts";
import { sessionAuth } from "../../middleware/session-auth.ts";
import { registerDocumentRoute } from "../../openapi/document-route.ts";
import { createRouter, registerSessionSchemes } from "../../openapi/kit.ts";
import * as changePassword from "./auth/change-password.ts";
import * as endOtherSessions from "./auth/end-other-sessions.ts";
import * as listSessions from "./auth/list-sessions.ts";
import * as login from "./auth/login.ts";
import * as logout from "./auth/logout.ts";
import * as signup from "./auth/signup.ts";
import * as acceptInvitation from "./invitations/accept.ts";
import * as me from "./me.ts";
import { orgRoutes } from "./org-routes.ts";
import { TAGS } from "./params.ts";

/** Where app.ts mounts this router. */
export const DASHBOARD_BASE_PATH = "/api";

/**
 * The only /api routes without a session: they are how one gets a session, or describe the API.
 * Everything else under /api, listed or not, needs one.
 */
export const OPEN_DASHBOARD_ROUTES = [
  `POST ${DASHBOARD_BASE_PATH}/auth/signup`,
  `POST ${DASHBOARD_BASE_PATH}/auth/login`,
  `GET ${DASHBOARD_BASE_PATH}/openapi.json`,
] as const;

/**
 * /api: the dashboard's API. Closed by default: every route but OPEN_DASHBOARD_ROUTES needs a
 * session (session-auth, then CSRF rules for cookie sessions, for every path of the surface,
 * listed or not: sessionRoutes), and everything under /orgs/{orgId} also needs a membership of
 * that organization (see org-routes.ts).
 */
export function dashboardRoutes() {
  const router = createRouter();
  registerSessionSchemes(router.openAPIRegistry);
  router.openapi(signup.route, signup.handler).openapi(login.route, login.handler);
  router.route("/", sessionRoutes());

  // The dashboard's own description, for owners who script it.
  registerDocumentRoute(router, {
    info: {
      title: "apf dashboard API",
      version: "1.0.0",
      description:
        "Accounts, organizations, members, API keys, agents and farm data. Sessions: `Authorization: Bearer apf_sess_…` or the `apf_session` cookie.",
    },
    basePath: DASHBOARD_BASE_PATH,
    prefix: "server",
    operationId: "dashboardOpenApiDocument",
    routeTags: TAGS,
    hide: true,
  });
  return router;
}

/** Everything behind a session: its handlers see the session and the member (SessionEnv). */
function sessionRoutes() {
  const router = createRouter<SessionEnv>();
  router.use("*", exceptOpen(OPEN_DASHBOARD_ROUTES, sessionAuth, sameOriginCookieWrites));
  router
    .openapi(logout.route, logout.handler)
    .openapi(changePassword.route, changePassword.handler)
    .openapi(listSessions.route, listSessions.handler)
    .openapi(endOtherSessions.route, endOtherSessions.handler)
    .openapi(me.route, me.handler)
    .openapi(acceptInvitation.route, acceptInvitation.handler);
  router.route("/", orgRoutes());
  return router;
}
