import { createRouter } from "../../../validation.ts";

/** /agent/v1: where agents report. */
export function agentRoutes() {
  const router = createRouter();
  return router;
}
