import { createRouter } from "../../validation.ts";

/** /api: the dashboard's API. */
export function dashboardRoutes() {
  const router = createRouter();
  return router;
}
