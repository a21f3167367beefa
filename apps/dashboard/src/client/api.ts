/** The dashboard's only way to the server: same-origin fetch to /api with the session cookie. */

export interface Envelope<T> {
  success: true;
  data: T;
  meta?: { limit: number; offset: number; count: number };
}

/** One offending field of an INVALID_REQUEST, as the API lists them in `details`. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** An error envelope of the API: the code, the sentence and what the code comes with. */
interface ErrorEnvelope {
  code?: string;
  error?: string;
  details?: FieldIssue[];
  no_route?: boolean;
}

/** An error answer of the API, with the fields it names (`details`) when it names some. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldIssue[] = [],
    /** The answer says the route itself does not exist (rather than a resource of it). */
    readonly noRoute = false,
  ) {
    super(message);
  }

  /** The top-level body field or parameter of the first issue (`["scopes", 0]` → `scopes`). */
  get field(): string | undefined {
    const first = this.details[0]?.path[0];
    return typeof first === "string" ? first : undefined;
  }

  /** The endpoint does not exist on this server (yet): a 404 for the route itself. */
  get notAvailable(): boolean {
    return this.status === 404 && this.noRoute;
  }

  get signedOut(): boolean {
    return this.status === 401;
  }
}

/** Fired on window when the API says the session is gone. */
export const SIGNED_OUT_EVENT = "apf:signed-out";

export async function api<T>(method: string, path: string, body?: unknown): Promise<Envelope<T>> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, "NETWORK", "The server did not answer; check your connection.");
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (res.status === 401 && path !== "/me" && !path.startsWith("/auth/")) {
    // The session ended (expired, signed out elsewhere, password changed): back to sign-in.
    window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
  }
  if (!res.ok) {
    const err = (parsed ?? {}) as ErrorEnvelope;
    const message = err.error ?? `The server answered ${res.status}.`;
    const details = Array.isArray(err.details) ? err.details : [];
    throw new ApiFailure(
      res.status,
      err.code ?? "UNKNOWN",
      message,
      details,
      err.no_route === true,
    );
  }
  return parsed as Envelope<T>;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
