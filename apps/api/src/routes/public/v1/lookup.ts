import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { isUuid } from "../../../openapi/kit.ts";

/** The `{id}` path parameter: opaque to integrators, so a malformed one is a 404, not a 400. */
export const idParams = z.object({
  id: z.string().openapi({
    param: { name: "id", in: "path" },
    description:
      "The resource's id. An id that does not exist in the key's organization answers 404.",
    example: "3f1c2b9e-8d4a-4c1e-9b7a-2f6d5e4c3b2a",
  }),
});

/**
 * Runs `find` for a well-formed id and returns its row, or throws NOT_FOUND. Missing, malformed
 * and another organization's ids all read the same, so ids of other tenants cannot be probed.
 */
export async function findOr404<T>(
  id: string,
  what: string,
  find: (id: string) => Promise<T | undefined>,
): Promise<T> {
  const row = isUuid(id) ? await find(id) : undefined;
  if (row === undefined) throw new ApiError("NOT_FOUND", `${what} not found.`);
  return row;
}
