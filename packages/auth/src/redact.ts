// Deliberately wider than the scanner pattern: no word boundaries (so `key_apf_live_…` or a
// token glued to other text is still caught), any case (an uppercased key lowercases back to
// the real one), and any run of 4+ hex digits (a truncated or extended key is still most of a
// secret). Only the prefix and the first 4 body characters survive, as in a preview. The
// lookahead leaves already-redacted text as it is, so redacting twice changes nothing.
const REDACTABLE = /(apf_(?:live|agent|sess)_)([0-9a-f]{4})(?!…\[redacted\])[0-9a-f]*/gi;
// Invitation tokens (apf_inv_ + base64url) are no kind of the spec but are secrets all the same.
const REDACTABLE_INVITATION = /(apf_inv_)([A-Za-z0-9_-]{4})(?!…\[redacted\])[A-Za-z0-9_-]*/gi;

/** Marker written in place of a redacted token body. */
export const REDACTED = "…[redacted]";

/**
 * Replace every token-looking string in `text` by its prefix, the first 4 body characters and
 * `…[redacted]` (e.g. `apf_live_1a2b…[redacted]`), for logs and error messages.
 */
export function redactTokens(text: string): string {
  const keepHead = (_match: string, prefix: string, head: string) => `${prefix}${head}${REDACTED}`;
  return text.replace(REDACTABLE, keepHead).replace(REDACTABLE_INVITATION, keepHead);
}

// The value after `Bearer ` or an `X-Api-Key:` header name, in free text.
const CREDENTIAL_VALUE = /(x-api-key["']?\s*[:=]\s*["']?|bearer\s+)[^\s"',;}]+/gi;

/** Marker written in place of a whole secret value. */
export const CENSORED = "[redacted]";

/**
 * {@link redactTokens}, and credential values written next to their header name (`Bearer …`,
 * `X-Api-Key: …`) censored: the one text redaction of API logs, agent logs and audit details.
 */
export function redactSecrets(text: string): string {
  return redactTokens(text).replace(CREDENTIAL_VALUE, `$1${CENSORED}`);
}

// Names that can only ever hold a secret: a password, a token, a key, a hash of one.
const SECRET_FIELD =
  /^(?:password|token|key|secret|hash|apikey|api_key|x-api-key|authorization|cookie|set-cookie|[a-z_]*_token|[a-z_]*_hash)$/i;

/** Whether a field (or header) named `name` holds a secret: censored in logs, dropped in audits. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Whether `text` has the shape of a token of `kind` (`apf_agent_` + 64 lowercase hex), checksum aside. */
export function hasTokenShape(text: string, prefix: string): boolean {
  return text.startsWith(prefix) && /^[0-9a-f]{64}$/.test(text.slice(prefix.length));
}
