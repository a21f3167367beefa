import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildApi } from "../../../scripts/build-api.mjs";
import { demoEnabled, parseEnv } from "../src/env.ts";

describe("the demo module", () => {
  it("runs by default only on the embedded database; APF_DEMO forces it on or off", () => {
    const env = (APF_DEMO?: string) => parseEnv(APF_DEMO ? { APF_DEMO } : {});
    expect(demoEnabled(env(), "embedded")).toBe(true);
    expect(demoEnabled(env(), "postgres")).toBe(false);
    expect(demoEnabled(env("on"), "postgres")).toBe(true);
    expect(demoEnabled(env("off"), "embedded")).toBe(false);
  });

  it("is a chunk of its own in the build, which the server's entry only imports lazily", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "apf-build-"));
    try {
      const result = await buildApi(outdir);
      const outputs = Object.entries(result.metafile.outputs);
      const [entryName, entry] = outputs.find(([, o]) => o.entryPoint?.endsWith("server.ts"))!;
      const demoChunk = outputs.find(([, o]) =>
        Object.keys(o.inputs).some((input) => input.includes("/demo/seed.ts")),
      );
      expect(demoChunk).toBeDefined();
      expect(demoChunk![0]).not.toBe(entryName);
      expect(Object.keys(entry.inputs).some((input) => input.includes("/demo/"))).toBe(false);
      const importsOfEntry = entry.imports.filter((i) =>
        i.path.endsWith(demoChunk![0].split("/").pop()!),
      );
      expect(importsOfEntry.map((i) => i.kind)).toEqual(["dynamic-import"]);
      expect(readFileSync(join(outdir, "api.mjs"), "utf8")).not.toContain("simulated technician");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
