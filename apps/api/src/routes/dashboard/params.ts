import { z } from "@hono/zod-openapi";

/** Tag of every dashboard operation. */
export const TAGS = ["dashboard"];

/** The `{orgId}` path parameter. */
export const orgParams = z.object({
  orgId: z.uuid().openapi({ param: { name: "orgId", in: "path" } }),
});

/** `{orgId}` plus another id parameter named `name`. */
export function orgParamsWith<N extends string>(name: N) {
  return orgParams.extend({
    [name]: z.uuid().openapi({ param: { name, in: "path" } }),
  } as { [K in N]: z.ZodUUID });
}
