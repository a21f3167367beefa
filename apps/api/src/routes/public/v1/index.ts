import { createRouter } from "../../../validation.ts";

/** /public/v1: the integrators' read API. */
export function publicRoutes() {
  const router = createRouter();
  return router;
}
