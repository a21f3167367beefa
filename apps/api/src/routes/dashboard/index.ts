import { sameOriginCookieWrites } from "../../middleware/csrf.ts";
import { sessionAuth } from "../../middleware/session-auth.ts";
import { createRouter } from "../../openapi/kit.ts";
import * as login from "./auth/login.ts";
import * as logout from "./auth/logout.ts";
import * as signup from "./auth/signup.ts";
import * as acceptInvitation from "./invitations/accept.ts";
import * as me from "./me.ts";
import { orgRoutes } from "./org-routes.ts";

/**
 * /api: the dashboard's API. Sign-up and sign-in are open; everything else needs a session
 * (session-auth, then CSRF rules for cookie sessions), and everything under /orgs/{orgId} also
 * needs a membership of that organization (see org-routes.ts).
 */
export function dashboardRoutes() {
  const router = createRouter();
  router.openAPIRegistry.registerComponent("securitySchemes", "session_bearer", {
    type: "http",
    scheme: "bearer",
    description: "A dashboard session token (apf_sess_…) from /api/auth/signup or /api/auth/login.",
  });
  router.openAPIRegistry.registerComponent("securitySchemes", "session_cookie", {
    type: "apiKey",
    in: "cookie",
    name: "apf_session",
    description: "The same session as an HttpOnly cookie; writes must come from the same origin.",
  });

  router.use("/auth/logout", sessionAuth, sameOriginCookieWrites);
  router.use("/me", sessionAuth, sameOriginCookieWrites);
  router.use("/invitations/*", sessionAuth, sameOriginCookieWrites);

  router
    .openapi(signup.route, signup.handler)
    .openapi(login.route, login.handler)
    .openapi(logout.route, logout.handler)
    .openapi(me.route, me.handler)
    .openapi(acceptInvitation.route, acceptInvitation.handler);

  router.route("/", orgRoutes());

  // The dashboard's own description, for owners who script it; generated once, on first request.
  let document: ReturnType<typeof router.getOpenAPI31Document> | undefined;
  router.get("/openapi.json", (c) => {
    document ??= router.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "apf dashboard API",
        version: "1.0.0",
        description:
          "Accounts, organizations, members, API keys, agents and farm data. Sessions: `Authorization: Bearer apf_sess_…` or the `apf_session` cookie.",
      },
      servers: [{ url: "/api" }],
    });
    return c.json(document);
  });
  return router;
}
