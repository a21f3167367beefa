import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { AppEnv } from "../context.ts";
import { validationHook } from "./validation.ts";

/**
 * The router of every surface (/public/v1, /api, /agent/v1) and of their sub-routers: routes
 * are `createRoute` + handler, validated through validationHook (validation.ts). `E` is the
 * environment its handlers see (AppEnv, or a surface's own, like the dashboard's OrgEnv).
 */
export function createRouter<E extends Env = AppEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: (result) => validationHook(result) });
}
