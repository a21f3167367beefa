import { type OrgEnv, orgAccess } from "../../middleware/org-access.ts";
import { createRouter } from "../../openapi/kit.ts";
import * as agentCreate from "./agents/create.ts";
import * as agentList from "./agents/list.ts";
import * as agentRevoke from "./agents/revoke.ts";
import * as analyticsFailures from "./analytics/failures.ts";
import * as analyticsInventory from "./analytics/inventory.ts";
import * as analyticsOverview from "./analytics/overview.ts";
import * as analyticsPrinters from "./analytics/printers.ts";
import * as analyticsProduction from "./analytics/production.ts";
import * as keyCreate from "./api-keys/create.ts";
import * as keyList from "./api-keys/list.ts";
import * as keyRevoke from "./api-keys/revoke.ts";
import * as keyRoll from "./api-keys/roll.ts";
import * as auditList from "./audit-events/list.ts";
import * as eventStream from "./events/stream.ts";
import * as spoolCreate from "./filament/create.ts";
import * as spoolGet from "./filament/get.ts";
import * as spoolList from "./filament/list.ts";
import * as spoolUpdate from "./filament/update.ts";
import * as fileCreate from "./files/create.ts";
import * as fileDelete from "./files/delete.ts";
import * as fileGet from "./files/get.ts";
import * as fileList from "./files/list.ts";
import * as fileThumbnail from "./files/thumbnail.ts";
import * as fileUpload from "./files/upload.ts";
import * as fileUploadUrl from "./files/upload-url.ts";
import * as jobCancel from "./jobs/cancel.ts";
import * as jobCreate from "./jobs/create.ts";
import * as jobDelete from "./jobs/delete.ts";
import * as jobList from "./jobs/list.ts";
import * as jobRetry from "./jobs/retry.ts";
import * as jobStart from "./jobs/start.ts";
import * as jobUpdate from "./jobs/update.ts";
import * as memberAdd from "./members/add.ts";
import * as memberList from "./members/list.ts";
import * as invitationList from "./members/list-invitations.ts";
import * as memberRemove from "./members/remove.ts";
import * as memberUpdate from "./members/update.ts";
import * as invitationWithdraw from "./members/withdraw-invitation.ts";
import * as orgGet from "./orgs/get.ts";
import * as orgUpdate from "./orgs/update.ts";
import * as printerControl from "./printers/control.ts";
import * as printerList from "./printers/list.ts";
import * as printerUpdate from "./printers/update.ts";
import * as skuStock from "./skus/adjust-stock.ts";
import * as skuAssemble from "./skus/assemble.ts";
import * as skuCreate from "./skus/create.ts";
import * as skuGet from "./skus/get.ts";
import * as skuList from "./skus/list.ts";
import * as skuListParts from "./skus/list-parts.ts";
import * as skuSetParts from "./skus/set-parts.ts";
import * as skuUpdate from "./skus/update.ts";
import * as webhookCreate from "./webhooks/create.ts";
import * as webhookDelete from "./webhooks/delete.ts";
import * as webhookDeliveries from "./webhooks/deliveries.ts";
import * as webhookGet from "./webhooks/get.ts";
import * as webhookList from "./webhooks/list.ts";
import * as webhookRedeliver from "./webhooks/redeliver.ts";
import * as webhookRoll from "./webhooks/roll-secret.ts";
import * as webhookTest from "./webhooks/test.ts";
import * as webhookUpdate from "./webhooks/update.ts";
import * as worklistComplete from "./worklist/complete.ts";
import * as worklistList from "./worklist/list.ts";

/**
 * /api/orgs/{orgId}/…: after the session (dashboard/index.ts), membership (404 for
 * anyone outside the organization). Each write route adds its own role check.
 */
export function orgRoutes() {
  const router = createRouter<OrgEnv>();
  router.use("/orgs/:orgId/*", orgAccess);
  return router
    .openapi(orgGet.route, orgGet.handler)
    .openapi(orgUpdate.route, orgUpdate.handler)
    .openapi(memberList.route, memberList.handler)
    .openapi(memberAdd.route, memberAdd.handler)
    .openapi(memberUpdate.route, memberUpdate.handler)
    .openapi(memberRemove.route, memberRemove.handler)
    .openapi(invitationList.route, invitationList.handler)
    .openapi(invitationWithdraw.route, invitationWithdraw.handler)
    .openapi(keyCreate.route, keyCreate.handler)
    .openapi(keyList.route, keyList.handler)
    .openapi(keyRevoke.route, keyRevoke.handler)
    .openapi(keyRoll.route, keyRoll.handler)
    .openapi(agentCreate.route, agentCreate.handler)
    .openapi(agentList.route, agentList.handler)
    .openapi(agentRevoke.route, agentRevoke.handler)
    .openapi(printerList.route, printerList.handler)
    .openapi(printerUpdate.route, printerUpdate.handler)
    .openapi(jobList.route, jobList.handler)
    .openapi(jobCreate.route, jobCreate.handler)
    .openapi(jobUpdate.route, jobUpdate.handler)
    .openapi(jobDelete.route, jobDelete.handler)
    .openapi(jobStart.route, jobStart.handler)
    .openapi(jobCancel.route, jobCancel.handler)
    .openapi(jobRetry.route, jobRetry.handler)
    .openapi(worklistList.route, worklistList.handler)
    .openapi(worklistComplete.route, worklistComplete.handler)
    .openapi(printerControl.route, printerControl.handler)
    .openapi(skuCreate.route, skuCreate.handler)
    .openapi(skuList.route, skuList.handler)
    .openapi(skuGet.route, skuGet.handler)
    .openapi(skuUpdate.route, skuUpdate.handler)
    .openapi(skuStock.route, skuStock.handler)
    .openapi(skuListParts.route, skuListParts.handler)
    .openapi(skuSetParts.route, skuSetParts.handler)
    .openapi(skuAssemble.route, skuAssemble.handler)
    .openapi(spoolCreate.route, spoolCreate.handler)
    .openapi(spoolList.route, spoolList.handler)
    .openapi(spoolGet.route, spoolGet.handler)
    .openapi(spoolUpdate.route, spoolUpdate.handler)
    .openapi(auditList.route, auditList.handler)
    .openapi(analyticsProduction.route, analyticsProduction.handler)
    .openapi(analyticsPrinters.route, analyticsPrinters.handler)
    .openapi(analyticsFailures.route, analyticsFailures.handler)
    .openapi(analyticsInventory.route, analyticsInventory.handler)
    .openapi(analyticsOverview.route, analyticsOverview.handler)
    .openapi(fileUploadUrl.route, fileUploadUrl.handler)
    .openapi(fileUpload.route, fileUpload.handler)
    .openapi(fileCreate.route, fileCreate.handler)
    .openapi(fileList.route, fileList.handler)
    .openapi(fileGet.route, fileGet.handler)
    .openapi(fileDelete.route, fileDelete.handler)
    .openapi(fileThumbnail.route, fileThumbnail.handler)
    .openapi(eventStream.route, eventStream.handler)
    .openapi(webhookList.route, webhookList.handler)
    .openapi(webhookCreate.route, webhookCreate.handler)
    .openapi(webhookGet.route, webhookGet.handler)
    .openapi(webhookUpdate.route, webhookUpdate.handler)
    .openapi(webhookDelete.route, webhookDelete.handler)
    .openapi(webhookRoll.route, webhookRoll.handler)
    .openapi(webhookTest.route, webhookTest.handler)
    .openapi(webhookDeliveries.route, webhookDeliveries.handler)
    .openapi(webhookRedeliver.route, webhookRedeliver.handler);
}
