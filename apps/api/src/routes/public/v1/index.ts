import type { PublicEnv } from "../../../context.ts";
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
import { registerNotManaged } from "./not-managed.ts";
import { registerOpenApiJson } from "./openapi-json.ts";
import { registerGetPrinter } from "./printers/get.ts";
import { registerListPrinters } from "./printers/list.ts";
import { registerSetPrinterMaintenance } from "./printers/maintenance.ts";
import { registerGetPrinterStatus } from "./printers/status.ts";
import { registerGetProduct } from "./products/get.ts";
import { registerListProducts } from "./products/list.ts";
import { registerGithubSecretScanning } from "./secret-scanning/github.ts";
import { registerGetSku } from "./skus/get.ts";
import { registerListSkus } from "./skus/list.ts";
import { registerCreateWebhookEndpoint } from "./webhooks/create.ts";
import { registerDeleteWebhookEndpoint } from "./webhooks/delete.ts";
import { registerListWebhookDeliveries } from "./webhooks/deliveries.ts";
import { registerGetWebhookEndpoint } from "./webhooks/get.ts";
import { registerListWebhookEndpoints } from "./webhooks/list.ts";
import { registerRedeliverWebhook } from "./webhooks/redeliver.ts";
import { registerRollWebhookSecret } from "./webhooks/roll-secret.ts";
import { registerTestWebhookEndpoint } from "./webhooks/test.ts";
import { registerUpdateWebhookEndpoint } from "./webhooks/update.ts";
import { registerCompleteWorklistTask } from "./worklist/complete.ts";
import { registerListWorklist } from "./worklist/list.ts";

/** Where app.ts mounts this router; the OpenAPI document's paths start with it. */
export const PUBLIC_BASE_PATH = "/public/v1";

/**
 * /public/v1: the integrators' API (reads, and the few data changes AutoPrintFarm has). Each
 * operation carries its own key check, budget and scope (see operation.ts) and is registered on
 * `keyed`, whose handlers see the key (PublicEnv); openapi.json and GitHub's secret-scanning
 * reports need no key and are registered on the surface's own router. Fixed paths
 * (/inventory/alerts, /inventory/by-sku/…) come before /inventory/{id}. Orders, customers and
 * revenue answer 404 saying apf keeps none (not-managed.ts).
 */
export function publicRoutes() {
  const router = createRouter();
  registerPublicComponents(router.openAPIRegistry);
  router.route("/", keyOperations());
  registerGithubSecretScanning(router);
  registerOpenApiJson(router, PUBLIC_BASE_PATH);
  return router;
}

/** Every /public/v1 operation that needs an API key. */
function keyOperations() {
  const router = createRouter<PublicEnv>();
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
  registerListProducts(router);
  registerGetProduct(router);
  registerListSkus(router);
  registerGetSku(router);
  registerListHubs(router);
  registerGetHub(router);
  registerGetProductionAnalytics(router);
  registerGetPrinterAnalytics(router);
  registerGetFailureAnalytics(router);
  registerGetInventoryAnalytics(router);
  registerGetAnalyticsOverview(router);
  registerNotManaged(router);
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
  registerListWebhookEndpoints(router);
  registerCreateWebhookEndpoint(router);
  registerGetWebhookEndpoint(router);
  registerUpdateWebhookEndpoint(router);
  registerDeleteWebhookEndpoint(router);
  registerRollWebhookSecret(router);
  registerTestWebhookEndpoint(router);
  registerListWebhookDeliveries(router);
  registerRedeliverWebhook(router);
  registerMe(router);
  return router;
}
