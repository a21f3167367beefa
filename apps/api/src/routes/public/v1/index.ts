import { registerPublicComponents } from "../../../openapi/components.ts";
import { createRouter } from "../../../openapi/kit.ts";
import { registerControlPrinter } from "./control/control.ts";
import { registerGetCommand } from "./control/get-command.ts";
import { registerGetInventoryItem } from "./inventory/get.ts";
import { registerListInventory } from "./inventory/list.ts";
import { registerGetJob } from "./jobs/get.ts";
import { registerListJobs } from "./jobs/list.ts";
import { registerGetFilament } from "./materials/filament-get.ts";
import { registerListFilament } from "./materials/filament-list.ts";
import { registerMe } from "./me.ts";
import { registerOpenApiJson } from "./openapi-json.ts";
import { registerGetPrinter } from "./printers/get.ts";
import { registerListPrinters } from "./printers/list.ts";

/** Where app.ts mounts this router; the OpenAPI document's paths start with it. */
export const PUBLIC_BASE_PATH = "/public/v1";

/**
 * /public/v1: the integrators' read API. Each operation carries its own key check, budget and
 * scope (see operation.ts); openapi.json needs no key.
 */
export function publicRoutes() {
  const router = createRouter();
  registerPublicComponents(router.openAPIRegistry);
  registerListPrinters(router);
  registerGetPrinter(router);
  registerListJobs(router);
  registerGetJob(router);
  registerListInventory(router);
  registerGetInventoryItem(router);
  registerListFilament(router);
  registerGetFilament(router);
  registerControlPrinter(router);
  registerGetCommand(router);
  registerMe(router);
  registerOpenApiJson(router, PUBLIC_BASE_PATH);
  return router;
}
