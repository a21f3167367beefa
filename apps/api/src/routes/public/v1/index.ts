import { registerPublicComponents } from "../../../openapi/components.ts";
import { createRouter } from "../../../openapi/kit.ts";
import { registerGetFailureAnalytics } from "./analytics/failures.ts";
import { registerGetInventoryAnalytics } from "./analytics/inventory.ts";
import { registerGetAnalyticsOverview } from "./analytics/overview.ts";
import { registerGetPrinterAnalytics } from "./analytics/printers.ts";
import { registerGetProductionAnalytics } from "./analytics/production.ts";
import { registerControlPrinter } from "./control/control.ts";
import { registerGetCommand } from "./control/get-command.ts";
import { registerListEvents } from "./events/list.ts";
import { registerStreamEvents } from "./events/stream.ts";
import { registerCreatePrintFile } from "./files/create.ts";
import { registerDeletePrintFile } from "./files/delete.ts";
import { registerGetPrintFile } from "./files/get.ts";
import { registerListPrintFiles } from "./files/list.ts";
import { registerGetThumbnail } from "./files/thumbnail.ts";
import { registerUpload } from "./files/upload.ts";
import { registerUploadUrl } from "./files/upload-url.ts";
import { registerGetHub } from "./hubs/get.ts";
import { registerListHubs } from "./hubs/list.ts";
import { registerListInventoryAlerts } from "./inventory/alerts.ts";
import { registerGetInventoryBySku } from "./inventory/by-sku.ts";
import { registerGetInventoryItem } from "./inventory/get.ts";
import { registerListInventory } from "./inventory/list.ts";
import { registerSetInventoryThreshold } from "./inventory/threshold.ts";
import { registerCancelJob } from "./jobs/cancel.ts";
import { registerCreateJob } from "./jobs/create.ts";
import { registerDeleteJob } from "./jobs/delete.ts";
import { registerGetJob } from "./jobs/get.ts";
import { registerListJobs } from "./jobs/list.ts";
import { registerRetryJob } from "./jobs/retry.ts";
import { registerStartJob } from "./jobs/start.ts";
import { registerUpdateJob } from "./jobs/update.ts";
import { registerCreateFilament } from "./materials/filament-create.ts";
import { registerGetFilament } from "./materials/filament-get.ts";
import { registerListFilament } from "./materials/filament-list.ts";
import { registerMe } from "./me.ts";
import { registerOpenApiJson } from "./openapi-json.ts";
import { registerGetPrinter } from "./printers/get.ts";
import { registerListPrinters } from "./printers/list.ts";
import { registerSetPrinterMaintenance } from "./printers/maintenance.ts";
import { registerGetPrinterStatus } from "./printers/status.ts";
import { registerGithubSecretScanning } from "./secret-scanning/github.ts";
import { registerCompleteWorklistTask } from "./worklist/complete.ts";
import { registerListWorklist } from "./worklist/list.ts";

/** Where app.ts mounts this router; the OpenAPI document's paths start with it. */
export const PUBLIC_BASE_PATH = "/public/v1";

/**
 * /public/v1: the integrators' API (reads, and the few data changes AutoPrintFarm has). Each
 * operation carries its own key check, budget and scope (see operation.ts); openapi.json needs no
 * key. Fixed paths (/inventory/alerts, /inventory/by-sku/…) come before /inventory/{id}.
 */
export function publicRoutes() {
  const router = createRouter();
  registerPublicComponents(router.openAPIRegistry);
  registerListPrinters(router);
  registerGetPrinter(router);
  registerGetPrinterStatus(router);
  registerSetPrinterMaintenance(router);
  registerListJobs(router);
  registerGetJob(router);
  registerCreateJob(router);
  registerUpdateJob(router);
  registerDeleteJob(router);
  registerStartJob(router);
  registerCancelJob(router);
  registerRetryJob(router);
  registerListWorklist(router);
  registerCompleteWorklistTask(router);
  registerListInventory(router);
  registerListInventoryAlerts(router);
  registerGetInventoryBySku(router);
  registerGetInventoryItem(router);
  registerSetInventoryThreshold(router);
  registerListFilament(router);
  registerCreateFilament(router);
  registerGetFilament(router);
  registerListHubs(router);
  registerGetHub(router);
  registerGetProductionAnalytics(router);
  registerGetPrinterAnalytics(router);
  registerGetFailureAnalytics(router);
  registerGetInventoryAnalytics(router);
  registerGetAnalyticsOverview(router);
  registerControlPrinter(router);
  registerGetCommand(router);
  registerUploadUrl(router);
  registerUpload(router);
  registerCreatePrintFile(router);
  registerListPrintFiles(router);
  registerGetPrintFile(router);
  registerDeletePrintFile(router);
  registerGetThumbnail(router);
  registerListEvents(router);
  registerStreamEvents(router);
  registerMe(router);
  registerGithubSecretScanning(router);
  registerOpenApiJson(router, PUBLIC_BASE_PATH);
  return router;
}
