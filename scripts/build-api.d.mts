/** dist/api.mjs: the bundle `npm start` runs. */
export const API_BUNDLE: string;
/** Bundles the API into API_BUNDLE (what `npm run build` does). */
export function buildApi(): Promise<void>;
