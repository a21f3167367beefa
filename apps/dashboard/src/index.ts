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

/** A static asset as the site hands it to be sent: built once, the same bytes every time. */
export interface StaticAsset {
  bytes: Uint8Array<ArrayBuffer>;
  /** The identity bytes' ETag. */
  etag: string;
  contentType: string;
}

/**
 * Answers a request for an asset: 200 with the bytes (in a content coding the client accepts,
 * where the server compresses), or 304 when If-None-Match names what the client has. The site
 * sets Cache-Control, Content-Security-Policy and the other headers itself.
 */
export type SendAsset = (c: Context, asset: StaticAsset) => Response | Promise<Response>;

/** The bytes as they are, with their ETag: what the site does when the server hands it nothing. */
const sendIdentity: SendAsset = (c, asset) => {
  c.header("ETag", asset.etag);
  if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304);
  return c.body(asset.bytes, 200, { "Content-Type": asset.contentType });
};

/** A year: the asset names carry a digest of their bytes, so they never change meaning. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The owner's dashboard, a client of /api: one HTML shell for every screen under /dashboard,
 * plus the bundled script and the stylesheet. Mount with
 * `app.route(DASHBOARD_SITE_PATH, dashboardSite({ send }))`; `send` answers an asset request
 * (the API's sends it compressed for clients that accept br or gzip).
 *
 * The shell names the assets by their hashed names (`app-<digest>.js`), so a browser keeps them
 * for good and asks for the shell alone (`no-store`) to learn of a new build.
 */
export function dashboardSite(options: { send?: SendAsset } = {}): Hono {
  const send = options.send ?? sendIdentity;
  const site = new Hono();
  site.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  site.get("/assets/:name", async (c) => {
    const { script, styles } = await dashboardAssets();
    const name = c.req.param("name");
    const found =
      name === script.name
        ? { asset: script, type: "text/javascript" }
        : name === styles.name
          ? { asset: styles, type: "text/css" }
          : null;
    if (!found) return c.notFound();
    c.header("Cache-Control", IMMUTABLE);
    const { bytes, etag } = found.asset;
    return send(c, { bytes, etag, contentType: `${found.type}; charset=utf-8` });
  });

  let page: string | undefined;
  const shell = async (c: Context) => {
    if (page === undefined) {
      const { script, styles } = await dashboardAssets();
      page = shellHtml(DASHBOARD_SITE_PATH, { script: script.name, styles: styles.name });
    }
    c.header("Cache-Control", "no-store");
    return c.html(page);
  };
  site.get("/", shell);
  site.get("/*", (c) =>
    c.req.path.startsWith(`${DASHBOARD_SITE_PATH}/assets/`) ? c.notFound() : shell(c),
  );
  return site;
}
