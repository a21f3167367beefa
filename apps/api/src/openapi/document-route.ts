import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { createEncodedBodies } from "../platform/encoded-bodies.ts";
import { buildDocument, type DocumentOptions } from "./document.ts";
import { cachedJson, NOT_MODIFIED_RESPONSE } from "./encoded-json.ts";
import { OPEN } from "./security.ts";

/**
 * GET <surface>/openapi.json: the surface's document, open (no credential) and readable from any
 * origin (it holds no data). Built once, on first request, from the router's routes, and sent
 * compressed to clients that accept it. `hide`
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
      ...NOT_MODIFIED_RESPONSE,
      ...(options.errorResponses ?? {}),
    },
  });
  // Serialised once; compressed at most once per coding, for clients that accept it.
  let document: Uint8Array<ArrayBuffer> | undefined;
  const encoded = createEncodedBodies();
  router.openapi(route, (c) => {
    document ??= Buffer.from(JSON.stringify(buildDocument(router, options)));
    return cachedJson(c, document, encoded, { "access-control-allow-origin": "*" });
  });
}
