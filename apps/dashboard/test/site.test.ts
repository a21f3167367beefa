import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DASHBOARD_CSP, DASHBOARD_SITE_PATH, dashboardSite } from "../src/index.ts";

const app = new Hono().route(DASHBOARD_SITE_PATH, dashboardSite());

/** The asset paths the shell names (hashed: `/dashboard/assets/app-<digest>.js`). */
async function assetPaths() {
  const html = await (await app.request("/dashboard")).text();
  const script =
    /<script type="module" src="(\/dashboard\/assets\/app-[0-9A-Za-z]+\.js)"><\/script>/.exec(html);
  const styles = /<link rel="stylesheet" href="(\/dashboard\/assets\/app-[0-9A-Za-z]+\.css)">/.exec(
    html,
  );
  expect(script, html).not.toBeNull();
  expect(styles, html).not.toBeNull();
  return { script: script![1]!, styles: styles![1]! };
}

describe("the dashboard site", () => {
  it("serves one shell for every screen, under a self-only Content-Security-Policy", async () => {
    for (const path of ["/dashboard", "/dashboard/keys", "/dashboard/printers/1234"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
      const html = await res.text();
      expect(html).toMatch(
        /<script type="module" src="\/dashboard\/assets\/app-\w+\.js"><\/script>/,
      );
      // Nothing from another origin, nothing inline that the policy would have to allow.
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<script>|<style|style=/);
    }
    expect(DASHBOARD_CSP).toMatch(/default-src 'none'/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|https?:/);
  });

  it("bundles the client at first request and serves it under its hashed name for good", async () => {
    const paths = await assetPaths();
    const res = await app.request(paths.script);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const script = await res.text();
    expect(script).toContain("/api");
    // The bundle has no imports left for the browser to fetch from anywhere.
    expect(script).not.toMatch(/\bimport\s*["'(]|from\s*["']https?:/);
    const etag = res.headers.get("etag")!;
    const again = await app.request(paths.script, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);

    const css = await app.request(paths.styles);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).not.toMatch(/@import|url\(\s*["']?https?:/);
  });

  it("answers 404 for an asset it does not have", async () => {
    for (const path of ["/dashboard/assets/other.js", "/dashboard/assets/app.js"]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });
});
