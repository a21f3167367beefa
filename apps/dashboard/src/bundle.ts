import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildClient, type ClientBuild, type ClientFile } from "./build-client.ts";

/**
 * Set by `npm run build` (scripts/build-api.mjs) to the folder where it wrote the built client
 * and its manifest; absent when the sources run as they are (tests, `tsx`).
 */
declare const APF_DASHBOARD_DIST: string | undefined;

/** The manifest `npm run build` writes beside the client's files. */
export const MANIFEST = "manifest.json";

/**
 * A built asset: its hashed file name, its bytes (the same array for every request, so that a
 * compressed copy can be kept beside it) and its ETag (a digest of them, taken once).
 */
export interface Asset {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** The dashboard's two static assets. */
export interface DashboardAssets {
  script: Asset;
  styles: Asset;
}

function asset(file: ClientFile): Asset {
  const bytes = new Uint8Array(Buffer.from(file.text, "utf8"));
  return {
    name: file.name,
    bytes,
    etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`,
  };
}

async function readPrebuilt(dir: string): Promise<ClientBuild> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as {
    script: string;
    styles: string;
  };
  const read = async (name: string) => ({ name, text: await readFile(join(dir, name), "utf8") });
  return { script: await read(manifest.script), styles: await read(manifest.styles) };
}

async function load(): Promise<DashboardAssets> {
  const built =
    typeof APF_DASHBOARD_DIST === "string"
      ? await readPrebuilt(APF_DASHBOARD_DIST)
      : await buildClient();
  return { script: asset(built.script), styles: asset(built.styles) };
}

let loaded: Promise<DashboardAssets> | undefined;

/**
 * The client's assets, once per process: in a build made by `npm run build`, the files it wrote
 * (no bundler at run time); from the sources, bundled in memory at the first request (esbuild,
 * a few hundred milliseconds). A failure is not cached, so the next request tries again.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  loaded ??= load().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
