import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DASHBOARD_CSP, DASHBOARD_SITE_PATH, dashboardSite } from "../src/index.ts";

const app = new Hono().route(DASHBOARD_SITE_PATH, dashboardSite());

describe("the dashboard site", () => {
  it("serves one shell for every screen, under a self-only Content-Security-Policy", async () => {
    for (const path of ["/dashboard", "/dashboard/keys", "/dashboard/printers/1234"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/dashboard/assets/app.js"></script>');
      // Nothing from another origin, nothing inline that the policy would have to allow.
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<script>|<style|style=/);
    }
    expect(DASHBOARD_CSP).toMatch(/default-src 'none'/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|https?:/);
  });

  it("bundles the client at first request and serves it with a validator", async () => {
    const res = await app.request("/dashboard/assets/app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await res.text();
    expect(script).toContain("/api");
    // The bundle has no imports left for the browser to fetch from anywhere.
    expect(script).not.toMatch(/\bimport\s*["'(]|from\s*["']https?:/);
    const etag = res.headers.get("etag")!;
    const again = await app.request("/dashboard/assets/app.js", {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);

    const css = await app.request("/dashboard/assets/app.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).not.toMatch(/@import|url\(\s*["']?https?:/);
  });

  it("answers 404 for an asset it does not have", async () => {
    const res = await app.request("/dashboard/assets/other.js");
    expect(res.status).toBe(404);
  });
});
