import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../../openapi/components.ts";
import { buildPublicDocument } from "../../../openapi/document.ts";
import type { PublicRouter } from "./operation.ts";

export const openApiJsonRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["Documentation"],
  summary: "This OpenAPI document",
  description: "The OpenAPI 3.1 document of /public/v1, generated from the routes. No key needed.",
  security: [],
  responses: {
    200: {
      description: "The document.",
      content: {
        "application/json": { schema: z.looseObject({ openapi: z.string() }) },
      },
    },
    ...errorResponses(500),
  },
});

/** GET /public/v1/openapi.json: public, and readable from any origin (it holds no data). */
export function registerOpenApiJson(router: PublicRouter, basePath: string) {
  let document: ReturnType<typeof buildPublicDocument> | undefined;
  router.openapi(openApiJsonRoute, (c) => {
    document ??= buildPublicDocument(router, basePath);
    c.header("Access-Control-Allow-Origin", "*");
    return c.json(document, 200);
  });
}
