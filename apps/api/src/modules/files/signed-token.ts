import { createHmac, timingSafeEqual } from "node:crypto";

/** What a token is for: it is valid for that purpose only. */
export type TokenPurpose = "upload" | "download";

export type TokenCheck<T> =
  | { kind: "valid"; claims: T }
  | { kind: "expired"; claims: T }
  | { kind: "invalid" };

function signature(secret: Buffer, purpose: TokenPurpose, payload: string): Buffer {
  return createHmac("sha256", secret).update(`apf-${purpose}.${payload}`).digest();
}

/**
 * `<payload>.<mac>`, both base64url: the claims as JSON with their expiry (`exp`, Unix seconds),
 * signed with HMAC-SHA256 over the purpose and the payload. The claims are readable by whoever
 * holds the token, so they hold ids only, never a secret.
 */
export function signToken<T extends object>(
  secret: Buffer,
  purpose: TokenPurpose,
  claims: T,
  expiresAt: Date,
): string {
  const payload = Buffer.from(
    JSON.stringify({ ...claims, exp: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString("base64url");
  return `${payload}.${signature(secret, purpose, payload).toString("base64url")}`;
}

/**
 * Checks a token's signature (in constant time) and then its expiry. `isClaims` says whether the
 * decoded JSON has the claims' shape; anything malformed or tampered with is `invalid`.
 */
export function verifyToken<T extends object>(
  secret: Buffer,
  purpose: TokenPurpose,
  token: string,
  now: Date,
  isClaims: (value: unknown) => value is T,
): TokenCheck<T> {
  const match = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { kind: "invalid" };
  const [, payload, mac] = match as unknown as [string, string, string];
  const expected = signature(secret, purpose, payload);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { kind: "invalid" };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { kind: "invalid" };
  }
  const exp = (decoded as { exp?: unknown }).exp;
  if (typeof exp !== "number" || !isClaims(decoded)) return { kind: "invalid" };
  return exp * 1000 <= now.getTime()
    ? { kind: "expired", claims: decoded }
    : { kind: "valid", claims: decoded };
}
