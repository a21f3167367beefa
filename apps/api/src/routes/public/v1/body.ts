/** Largest request body of /public/v1, in bytes (app.ts enforces it, 413 beyond). */
export const PUBLIC_MAX_BODY_BYTES = 64 * 1024;
