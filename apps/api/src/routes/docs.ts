import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { SendAsset, StaticAsset } from "@apf/dashboard";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";

/**
 * The API reference page, served entirely from this origin: Scalar's browser bundle comes from the
 * installed `@scalar/api-reference` (its version pinned by the lock file), so /docs works on a
 * farm's offline network and no third-party script runs on the API's origin.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Scalar's bundle inserts its stylesheet and theme as <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const require = createRequire(import.meta.url);
let bundle: StaticAsset | undefined;
/**
 * Read on first use and kept (the file only changes with `npm install`): the same bytes for every
 * request, so their compressed copies are made once and kept beside them.
 */
function scalarBundle(): StaticAsset {
  if (!bundle) {
    const bytes = new Uint8Array(
      readFileSync(require.resolve("@scalar/api-reference/browser/standalone.js")),
    );
    const digest = createHash("sha256").update(bytes).digest("base64url").slice(0, 22);
    bundle = { bytes, etag: `"${digest}"`, contentType: "text/javascript; charset=utf-8" };
  }
  return bundle;
}

function page(title: string) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;
}

/**
 * Scalar's configuration. `agent.disabled`: no "Ask AI" button, whose chat calls Scalar's hosted
 * service (blocked by this page's CSP anyway, and a farm's API docs are no place for it).
 */
export function docsConfig(specUrl: string) {
  return {
    url: specUrl,
    withDefaultFonts: false,
    showDeveloperTools: "never",
    agent: { disabled: true },
  };
}

function init(specUrl: string) {
  const config = docsConfig(specUrl);
  return `Scalar.createApiReference("#app", ${JSON.stringify(config)});\n`;
}

/**
 * GET /docs (the page), /docs/scalar.js (the bundle, ~3.5 MB: sent compressed by `send` to
 * clients that accept it) and /docs/init.js (its configuration).
 */
export function docsRoutes(specUrl: string, title: string, send: SendAsset) {
  const router = new Hono<AppEnv>();
  router.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DOCS_CSP);
  });
  router.get("/", (c) => c.html(page(title)));
  router.get("/scalar.js", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return send(c, scalarBundle());
  });
  router.get("/init.js", (c) =>
    c.body(init(specUrl), 200, { "Content-Type": "text/javascript; charset=utf-8" }),
  );
  return router;
}
