import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../openapi/kit.ts";

/** A dashboard user as the API shows them (never the password hash). */
export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  created_at: timestamp(),
});

export function toUser(user: { id: string; email: string; name: string | null; createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, created_at: iso(user.createdAt) };
}

/** A session token, shown in the response that creates it and set as the cookie. */
export const sessionTokenSchema = z.string().openapi({
  description:
    "apf_sess_ token: send it as 'Authorization: Bearer …' (it is also set as the apf_session cookie).",
});
