// The one route kit of /public/v1, /api and /agent/v1: router factory, fields, envelopes, error
// responses and security requirements. Route modules import from here.
export * from "./envelope.ts";
export { anyErrorSchema, codedErrorResponse, errors } from "./errors.ts";
export * from "./fields.ts";
export { JSON_UTF8, json } from "./respond.ts";
export { createRouter } from "./router.ts";
export * from "./security.ts";
