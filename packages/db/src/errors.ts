// How a database failure tells "Postgres cannot be reached" from a bug: the driver's own
// connection errors carry no SQLSTATE, so they are recognised here, below the API.

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const DRIVER_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /query read timeout/i,
  /client has encountered a connection error/i,
  /connection is not open|not queryable/i,
];

/**
 * True when the error (or one of its causes: drizzle wraps the driver's) says the database could
 * not be reached or stopped answering in time, as opposed to refusing the statement.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (DRIVER_MESSAGES.some((pattern) => pattern.test(e.message))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnreachable)) return true;
  }
  return false;
}

/** The SQLSTATE of a database error, looked for along the error's causes (drizzle wraps pg's). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
