#!/usr/bin/env node
// npm run build: bundles the API (apps/api/src/server.ts and the @apf/* workspace sources it
// imports) into dist/api.mjs, so `npm start` runs plain JavaScript instead of compiling
// TypeScript through tsx at every start. Every npm package stays external (node_modules).
// The dashboard's client is built here too, into dist/dashboard/ with hashed names and a
// manifest, and the API reads those files: no bundler runs in a production process.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const API_BUNDLE = fileURLToPath(new URL("../dist/api.mjs", import.meta.url));

/** Bundles only our own sources: any bare import but `@apf/*` is left to Node at run time. */
const npmPackagesExternal = {
  name: "npm-packages-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@apf/") ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Our sources find their files relative to `import.meta.url` (migrations, the common-password
 * list, the dashboard's client sources, Scalar's bundle through createRequire): each bundled
 * file keeps its own URL, so those reads still point into the checkout.
 */
const importMetaUrlPerFile = {
  name: "import-meta-url-per-file",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return {
        contents: source.replaceAll("import.meta.url", url),
        loader: args.path.endsWith("ts") ? "ts" : "js",
      };
    });
  },
};

/**
 * Builds the dashboard's client into `dir` through apps/dashboard/src/build-client.ts (the one
 * definition of that build, shared with the in-memory build of tests and `tsx` runs), compiled
 * for Node beside it first because this script runs without a TypeScript loader.
 */
async function buildDashboard(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const builder = join(dir, ".build-client.mjs");
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["apps/dashboard/src/build-client.ts"],
    outfile: builder,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    logLevel: "warning",
    plugins: [importMetaUrlPerFile],
  });
  try {
    const { buildClient } = await import(pathToFileURL(builder).href);
    const { script, styles } = await buildClient();
    await writeFile(join(dir, script.name), script.text);
    await writeFile(join(dir, styles.name), styles.text);
    await writeFile(
      join(dir, "manifest.json"),
      JSON.stringify({ script: script.name, styles: styles.name }),
    );
  } finally {
    await rm(builder, { force: true });
  }
}

/** Bundles into `outdir` (dist/ by default); answers esbuild's result with its metafile. */
export async function buildApi(outdir = dirname(API_BUNDLE)) {
  const dashboard = join(outdir, "dashboard");
  await buildDashboard(dashboard);
  return build({
    metafile: true,
    absWorkingDir: ROOT,
    // dist/api.mjs, plus chunks for what server.ts imports lazily (the demo): a production
    // start never loads the demo's code.
    entryPoints: { api: "apps/api/src/server.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    // Every output file (entry and chunks) first loads @hono/zod-openapi, which adds .openapi()
    // to zod's schemas: a chunk evaluated before the entry's own imports may describe a schema.
    banner: { js: 'import "@hono/zod-openapi";' },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
    // apps/dashboard/src/bundle.ts reads the client built above instead of bundling it.
    define: { APF_DASHBOARD_DIST: JSON.stringify(dashboard) },
    plugins: [npmPackagesExternal, importMetaUrlPerFile],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildApi();
