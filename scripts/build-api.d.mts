import type { BuildResult } from "esbuild";
/** dist/api.mjs: the bundle `npm start` runs. */
export const API_BUNDLE: string;
/** Bundles the API into `outdir` (dist/ by default: what `npm run build` does). */
export function buildApi(outdir?: string): Promise<BuildResult<{ metafile: true }>>;
