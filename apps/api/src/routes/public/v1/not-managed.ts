import { createRoute } from "@hono/zod-openapi";
import { every } from "hono/combine";
import { ApiError } from "../../../errors.ts";
import { errorResponses } from "../../../openapi/components.ts";
import { keyOperation, type PublicRouter } from "./operation.ts";

/*
 * AutoPrintFarm also runs a shop's back office: orders, revenue, customers. apf is the print
 * farm's backend and keeps none of them, so every method on every path of those families answers
 * 404 NOT_FOUND saying so, rather than the 404 of a mistyped path. Closed by default like every
 * other route: a key is checked (and its budget spent) before the answer; no scope is needed,
 * since there is nothing to grant.
 */
const FAMILIES = [
  { path: "/orders", what: "orders", operationId: "ordersNotManaged" },
  { path: "/customers", what: "customers", operationId: "customersNotManaged" },
  { path: "/revenue", what: "revenue", operationId: "revenueNotManaged" },
  { path: "/analytics/revenue", what: "revenue", operationId: "revenueReportNotManaged" },
] as const;

/** What every path of the families answers. */
export function notManagedMessage(what: string): string {
  return `apf does not manage ${what}: it runs the print farm (printers, jobs, stock), not the shop. Orders, revenue and customers stay in your shop or order system.`;
}

/**
 * /orders…, /customers…, /revenue… and /analytics/revenue…: any method, any subpath. Each family
 * is documented by its GET; the rest is one catch-all per family (method ALL), so the document
 * lists the families and not every path a script might try.
 */
export function registerNotManaged(router: PublicRouter) {
  for (const family of FAMILIES) {
    const operation = keyOperation(
      null,
      `apf does not manage ${family.what}. Every method on \`${family.path}\` and on every path under it answers \`404 NOT_FOUND\` saying so, after the key was checked.`,
    );
    const route = createRoute({
      method: "get",
      path: family.path,
      operationId: family.operationId,
      tags: ["Not managed by apf"],
      summary: `${family.what[0]!.toUpperCase()}${family.what.slice(1)}: not managed by apf`,
      ...operation,
      // Always 404 NOT_FOUND once the key passed; the message says apf keeps none.
      responses: errorResponses(401, 404, 429, 500, 503),
    });
    const refuse = () => {
      throw new ApiError("NOT_FOUND", notManagedMessage(family.what));
    };
    router.openapi(route, refuse);
    const checkKey = every(...operation.middleware);
    router.all(family.path, checkKey, refuse);
    router.all(`${family.path}/*`, checkKey, refuse);
  }
}
