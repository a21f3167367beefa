import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { buildDocument, type DocumentOptions } from "./document.ts";
import { OPEN } from "./security.ts";

/**
 * GET <surface>/openapi.json: the surface's document, open (no credential) and readable from any
 * origin (it holds no data). Built once, on first request, from the router's routes. `hide`
 * leaves the route out of the document itself.
 */
export function registerDocumentRoute<E extends Env>(
  router: OpenAPIHono<E>,
  options: DocumentOptions & {
    operationId: string;
    /** The tags of the document route itself. */
    routeTags: string[];
    hide?: boolean;
    errorResponses?: RouteConfig["responses"];
  },
) {
  const route = createRoute({
    method: "get",
    path: "/openapi.json",
    operationId: options.operationId,
    tags: options.routeTags,
    summary: "This OpenAPI document",
    description: `The OpenAPI 3.1 document of ${options.basePath}, generated from the routes. No credential needed.`,
    security: OPEN,
    ...(options.hide ? { hide: true } : {}),
    responses: {
      200: {
        description: "The document.",
        content: { "application/json": { schema: z.looseObject({ openapi: z.string() }) } },
      },
      ...(options.errorResponses ?? {}),
    },
  });
  let document: ReturnType<typeof buildDocument> | undefined;
  router.openapi(route, (c) => {
    document ??= buildDocument(router, options);
    c.header("Access-Control-Allow-Origin", "*");
    return c.json(document, 200);
  });
}
