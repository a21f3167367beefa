import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { ApiError, errorResponse } from "./errors.ts";

interface RouteLike {
  method: string;
  path: string;
}

function toPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => {
      if (part === "*") return ".*";
      if (part.startsWith(":") || (part.startsWith("{") && part.endsWith("}"))) return "[^/]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/**
 * notFound handler that tells 405 from 404: when another method is routed at this path, the
 * answer is METHOD_NOT_ALLOWED with an Allow header.
 */
export function notFoundHandler(routes: () => readonly RouteLike[]) {
  return (c: Context<AppEnv>) => {
    const allowed = new Set<string>();
    for (const route of routes()) {
      if (route.method === "ALL" || route.path.endsWith("*")) continue;
      if (toPattern(route.path).test(c.req.path)) allowed.add(route.method);
    }
    if (allowed.size > 0 && !allowed.has(c.req.method)) {
      if (allowed.has("GET")) allowed.add("HEAD");
      const allow = [...allowed].sort().join(", ");
      return errorResponse(
        c,
        new ApiError("METHOD_NOT_ALLOWED", `${c.req.method} is not allowed here; use ${allow}.`, {
          Allow: allow,
        }),
      );
    }
    // `no_route` tells a client (the dashboard) that the route itself is missing, not a record.
    return errorResponse(
      c,
      new ApiError(
        "NOT_FOUND",
        `No route for ${c.req.method} ${c.req.path}.`,
        {},
        { no_route: true },
      ),
    );
  };
}
