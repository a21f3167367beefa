/** The dashboard's only way to the server: same-origin fetch to /api with the session cookie. */

export interface Envelope<T> {
  success: true;
  data: T;
  meta?: { limit: number; offset: number; count: number };
}

/** An error answer of the API, with the body field it names when it names one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** The endpoint does not exist on this server (yet): a 404 for the route itself. */
  get notAvailable(): boolean {
    return this.status === 404 && /^No route for /.test(this.message);
  }

  get signedOut(): boolean {
    return this.status === 401;
  }
}

/** `Invalid body field "scopes.0": …` names the field `scopes`. */
function fieldOf(message: string): string | undefined {
  const match = /^Invalid (?:body field|query parameter) "([^".]+)/.exec(message);
  return match?.[1];
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
    const err = (parsed ?? {}) as { code?: string; error?: string };
    const message = err.error ?? `The server answered ${res.status}.`;
    throw new ApiFailure(res.status, err.code ?? "UNKNOWN", message, fieldOf(message));
  }
  return parsed as Envelope<T>;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
