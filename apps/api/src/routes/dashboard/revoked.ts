import { z } from "@hono/zod-openapi";
import { timestamp } from "../../openapi/kit.ts";

/** What a revoke answers: the credential and when it was (first) revoked. */
export const revokedSchema = z.object({ id: z.uuid(), revoked_at: timestamp() });
