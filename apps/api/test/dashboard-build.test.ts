import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApi } from "../../../scripts/build-api.mjs";

/** The first load's budget from issue #24: script and stylesheet, compressed. */
const FIRST_LOAD_BUDGET_BYTES = 80 * 1024;

describe("npm run build: the dashboard's client", () => {
  const outdir = mkdtempSync(join(tmpdir(), "apf-build-dashboard-"));
  const dashboard = join(outdir, "dashboard");
  beforeAll(() => buildApi(outdir), 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("is written beside the API with hashed names and a manifest naming them", () => {
    const manifest = JSON.parse(readFileSync(join(dashboard, "manifest.json"), "utf8"));
    expect(manifest.script).toMatch(/^app-\w+\.js$/);
    expect(manifest.styles).toMatch(/^app-\w+\.css$/);
    expect(readdirSync(dashboard).sort()).toEqual(
      ["manifest.json", manifest.script, manifest.styles].sort(),
    );
  });

  it("is read from those files by the built API, which bundles nothing at run time", () => {
    const api = readFileSync(join(outdir, "api.mjs"), "utf8");
    expect(api).toContain(JSON.stringify(dashboard));
    // The placeholder was replaced: the bundle's test for a prebuilt client is a constant.
    expect(api).not.toMatch(/typeof APF_DASHBOARD_DIST/);
  });

  it(`fits the first load in ${FIRST_LOAD_BUDGET_BYTES / 1024} kB compressed (brotli)`, () => {
    const manifest = JSON.parse(readFileSync(join(dashboard, "manifest.json"), "utf8"));
    const size = [manifest.script, manifest.styles]
      .map((name: string) => brotliCompressSync(readFileSync(join(dashboard, name))).byteLength)
      .reduce((a, b) => a + b, 0);
    expect(size).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
  });
});
