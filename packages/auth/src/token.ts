import crypto, { randomBytes } from "node:crypto";
import { crc32Hex } from "./crc32.ts";

/** The three kinds of secret: API key, agent token, dashboard session. */
export type TokenKind = "live" | "agent" | "sess";

/** The prefix of each kind of token, underscore included. */
export const TOKEN_PREFIXES = {
  live: "apf_live_",
  agent: "apf_agent_",
  sess: "apf_sess_",
} as const satisfies Record<TokenKind, string>;

/** Every token kind, in a stable order. */
export const TOKEN_KINDS = ["live", "agent", "sess"] as const satisfies readonly TokenKind[];

/** Length of a token body: 56 random hex + 8 hex CRC-32. */
export const TOKEN_BODY_LENGTH = 64;

const RANDOM_BYTES = 28;
const RANDOM_HEX_LENGTH = RANDOM_BYTES * 2;

/** The scanner regex of tokens.md, as source text (for configs and other regex engines). */
export const TOKEN_PATTERN_SOURCE = String.raw`\bapf_(?:live|agent|sess)_[0-9a-f]{64}\b`;

/**
 * The scanner regex, without the `g` flag so `test()` holds no `lastIndex` state between calls.
 * Use {@link tokenPatternGlobal} to find every match in a text.
 */
export const TOKEN_PATTERN: RegExp = new RegExp(TOKEN_PATTERN_SOURCE);

/** A fresh global copy of the scanner regex, for `matchAll` / `replace`. */
export function tokenPatternGlobal(): RegExp {
  return new RegExp(TOKEN_PATTERN_SOURCE, "g");
}

/** A newly minted token: `token` is shown once, `hash` is stored, `preview` is displayed. */
export interface MintedToken {
  token: string;
  hash: string;
  preview: string;
}

/** Why a string is not a well-formed token of the expected kind. */
export type TokenRejection = "prefix" | "length" | "alphabet" | "checksum";

/** Outcome of {@link parseToken}. */
export type ParsedToken =
  | { ok: true; token: string; hash: string }
  | { ok: false; reason: TokenRejection };

/**
 * Mint a token of `kind`: 224 bits from the CSPRNG, then the CRC-32 of `<prefix><random hex>`.
 */
export function mintToken(kind: TokenKind): MintedToken {
  const prefix = TOKEN_PREFIXES[kind];
  const random = randomBytes(RANDOM_BYTES).toString("hex");
  const token = `${prefix}${random}${crc32Hex(prefix + random)}`;
  return { token, hash: hashToken(token), preview: tokenPreview(token) };
}

function isLowerHex(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 0-9 or a-f only: uppercase is rejected so that one key has exactly one spelling (one hash).
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Check that `input` is a well-formed token of kind `expected` (prefix, length, alphabet,
 * checksum, in that order) and return its hash. Pure and offline, so it can run before any
 * database or Redis call; a token of another kind is rejected as `prefix`.
 */
export function parseToken(input: string, expected: TokenKind): ParsedToken {
  const prefix = TOKEN_PREFIXES[expected];
  if (typeof input !== "string" || !input.startsWith(prefix))
    return { ok: false, reason: "prefix" };
  if (input.length !== prefix.length + TOKEN_BODY_LENGTH) return { ok: false, reason: "length" };
  if (!isLowerHex(input, prefix.length)) return { ok: false, reason: "alphabet" };
  const randomEnd = prefix.length + RANDOM_HEX_LENGTH;
  // The CRC is public information derived from the token itself, so a plain comparison
  // leaks nothing worth a constant-time compare.
  if (crc32Hex(input.slice(0, randomEnd)) !== input.slice(randomEnd)) {
    return { ok: false, reason: "checksum" };
  }
  return { ok: true, token: input, hash: hashToken(input) };
}

// crypto.hash (Node >= 20.12) is the one-shot digest: about 1 µs for a key where a Hash object
// costs several; createHash stays the fallback for older 20.x releases.
const sha256Hex: (input: string) => string =
  typeof crypto.hash === "function"
    ? (input) => crypto.hash("sha256", input, "hex")
    : (input) => crypto.createHash("sha256").update(input, "utf8").digest("hex");

/** SHA-256 (lowercase hex) of the whole token string, prefix included: the only form stored. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

function prefixOf(token: string): string | undefined {
  for (const kind of TOKEN_KINDS) {
    if (token.startsWith(TOKEN_PREFIXES[kind])) return TOKEN_PREFIXES[kind];
  }
  return undefined;
}

/**
 * Display form of a token: prefix, first 4 and last 4 characters of the body
 * (`apf_live_1a2b…9f0e`). Throws a `TypeError` on a string that is not a token.
 */
export function tokenPreview(token: string): string {
  const prefix = prefixOf(token);
  const body = prefix === undefined ? "" : token.slice(prefix.length);
  if (prefix === undefined || body.length !== TOKEN_BODY_LENGTH) {
    throw new TypeError("tokenPreview expects a token (apf_<kind>_ and a 64-character body)");
  }
  return `${prefix}${body.slice(0, 4)}…${body.slice(-4)}`;
}
