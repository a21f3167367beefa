import { z } from "@hono/zod-openapi";

/** `meta` of a paged list: the page asked for and how many items match in all. */
export const PageMetaSchema = z
  .object({
    limit: z.int().openapi({ description: "The page size used." }),
    offset: z.int().openapi({ description: "How many matching items were skipped." }),
    count: z.int().openapi({ description: "How many items match the filters in all." }),
  })
  .openapi("PageMeta");

/** `{success: true, data: <item>}` */
export function itemEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: item });
}

/** `{success: true, data: [<item>], meta}`; meta present exactly when `meta` says. */
export function listEnvelope<T extends z.ZodType>(item: T, meta: "always" | "when paged") {
  return z.object({
    success: z.literal(true),
    data: z.array(item),
    meta:
      meta === "always"
        ? PageMetaSchema
        : PageMetaSchema.optional().openapi({
            description: "Present only when `limit` or `offset` is given.",
          }),
  });
}

/** A success response `{success: true, data}` for `responses`. */
export function dataResponse<T extends z.ZodType>(schema: T, description: string) {
  return {
    description,
    content: { "application/json": { schema: itemEnvelope(schema) } },
  };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** The success envelope. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}
