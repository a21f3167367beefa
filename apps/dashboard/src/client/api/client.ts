import createClient from "openapi-fetch";
import type { paths } from "./dashboard-api.generated.ts";
import { ApiFailure, SIGNED_OUT_EVENT } from "./failure.ts";

/**
 * The dashboard's client of /api: openapi-fetch typed by the types generated from the API's own
 * document (npm run generate:dashboard-api), so a page cannot call a route or read a field the
 * API does not have. Same origin, the session cookie.
 */
export const api = createClient<paths>({ baseUrl: "/api", credentials: "same-origin" });

api.use({
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && path !== "/api/me" && !path.startsWith("/api/auth/")) {
      // The session ended (expired, signed out elsewhere, password changed): back to sign-in.
      window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
    }
    return undefined;
  },
});

interface ErrorBody {
  code?: string;
  error?: string;
  details?: { path: (string | number)[]; message: string }[];
  no_route?: boolean;
}

/**
 * The data of a 2xx answer, or an {@link ApiFailure} naming the API's code, sentence and fields.
 * `call` is an openapi-fetch call (`api.GET(...)`); a network failure becomes code NETWORK.
 */
export async function data<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiFailure(0, "NETWORK", "The server did not answer; check your connection.");
  }
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  throw new ApiFailure(
    result.response.status,
    body.code ?? "UNKNOWN",
    body.error ?? `The server answered ${result.response.status}.`,
    Array.isArray(body.details) ? body.details : [],
    body.no_route === true,
  );
}
