/** One offending field of an INVALID_REQUEST, as the API lists them in `details`. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
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
