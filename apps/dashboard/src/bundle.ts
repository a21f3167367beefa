import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const CLIENT_ENTRY = fileURLToPath(new URL("./client/main.ts", import.meta.url));
const STYLES = fileURLToPath(new URL("./client/styles.css", import.meta.url));

/**
 * A built asset: its bytes (the same array for every request until the next build, so that a
 * compressed copy can be kept beside it) and its ETag (a digest of them, taken once per build).
 */
export interface Asset {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** The dashboard's two static assets, built from the client sources in memory. */
export interface DashboardAssets {
  script: Asset;
  styles: Asset;
}

function asset(text: string): Asset {
  const bytes = new Uint8Array(Buffer.from(text, "utf8"));
  return {
    bytes,
    etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`,
  };
}

let built: Promise<DashboardAssets> | undefined;

async function buildAssets(): Promise<DashboardAssets> {
  // Loaded on first use, so the API's start-up does not wait for the bundler.
  const { build } = await import("esbuild");
  const [result, styles] = await Promise.all([
    build({
      entryPoints: [CLIENT_ENTRY],
      bundle: true,
      write: false,
      format: "esm",
      target: "es2020",
      minify: true,
      legalComments: "none",
      logLevel: "silent",
    }),
    readFile(STYLES, "utf8"),
  ]);
  return { script: asset(result.outputFiles[0]!.text), styles: asset(styles) };
}

/**
 * Bundles the client once per process (esbuild, a few hundred milliseconds) and keeps it in
 * memory: nothing is written to disk, so `npm start` right after `npm ci` serves the dashboard.
 * A failed build is not cached, so the next request tries again.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  built ??= buildAssets().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
