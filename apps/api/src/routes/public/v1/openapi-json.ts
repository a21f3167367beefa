import { errorResponses } from "../../../openapi/components.ts";
import { publicInfo } from "../../../openapi/document.ts";
import { registerDocumentRoute } from "../../../openapi/document-route.ts";
import type { OpenPublicRouter } from "./operation.ts";

/** GET /public/v1/openapi.json: public, and readable from any origin (it holds no data). */
export function registerOpenApiJson(router: OpenPublicRouter, basePath: string) {
  registerDocumentRoute(router, {
    ...publicInfo(),
    basePath,
    prefix: "paths",
    operationId: "getOpenApiDocument",
    routeTags: ["Documentation"],
    errorResponses: errorResponses(500),
  });
}
