import type { Context, Env, MiddlewareHandler } from "hono";
import { except } from "hono/combine";

/**
 * Applies `middleware` (authentication) to every request of a surface except the listed open
 * routes, each `"METHOD /full/path"` as app.routes names it. A route nobody listed is therefore
 * protected, and so is any path no route answers (401 before 404).
 */
export function exceptOpen<E extends Env>(
  open: readonly string[],
  ...middleware: MiddlewareHandler<E>[]
): MiddlewareHandler<E> {
  const routes = new Set(open);
  const isOpen = (c: Context<E>) => routes.has(`${c.req.method} ${c.req.path}`);
  return except(isOpen, ...middleware) as MiddlewareHandler<E>;
}
