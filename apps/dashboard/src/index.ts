import { type Context, Hono } from "hono";
import { dashboardAssets } from "./bundle.ts";
import { shellHtml } from "./shell.ts";

/** Where the dashboard is served. */
export const DASHBOARD_SITE_PATH = "/dashboard";

/**
 * Everything the page loads comes from this origin: no CDN, no inline script or style, no
 * framing. The client talks to /api only (connect-src 'self').
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The owner's dashboard, a client of /api: one HTML shell for every screen under /dashboard,
 * plus the bundled script and the stylesheet. Mount with `app.route(DASHBOARD_SITE_PATH, dashboardSite())`.
 */
export function dashboardSite(): Hono {
  const site = new Hono();
  site.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  const asset = (kind: "script" | "styles", type: string) =>
    site.get(`/assets/app.${kind === "script" ? "js" : "css"}`, async (c) => {
      const { body, etag } = (await dashboardAssets())[kind];
      c.header("ETag", etag);
      c.header("Cache-Control", "no-cache");
      if (c.req.header("if-none-match") === etag) return c.body(null, 304);
      return c.body(body, 200, { "Content-Type": `${type}; charset=utf-8` });
    });
  asset("script", "text/javascript");
  asset("styles", "text/css");

  const page = shellHtml(DASHBOARD_SITE_PATH);
  const shell = (c: Context) => {
    c.header("Cache-Control", "no-store");
    return c.html(page);
  };
  site.get("/", shell);
  site.get("/*", (c) =>
    c.req.path.startsWith(`${DASHBOARD_SITE_PATH}/assets/`) ? c.notFound() : shell(c),
  );
  return site;
}
