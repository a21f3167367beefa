import { randomBytes } from "node:crypto";
import { type Algorithm, hash, type Options, parseOptions, verify } from "@node-rs/argon2";
import { codePoints } from "./text.ts";

/** Shortest accepted password, in Unicode code points. */
export const PASSWORD_MIN = 10;
/** Longest accepted password, in Unicode code points; bounds the work a login can ask for. */
export const PASSWORD_MAX = 200;

// `Algorithm` is an ambient const enum, which isolatedModules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** argon2id parameters: 19 MiB, 2 passes, 1 lane (the OWASP minimum for argon2id). */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/** Why a password is refused by the policy. */
export type PasswordPolicyViolation = "too_short" | "too_long";

/** Length of `password` as the policy counts it: Unicode code points, not UTF-16 units. */
export function passwordLength(password: string): number {
  return codePoints(password);
}

/** Check `password` against the policy (PASSWORD_MIN to PASSWORD_MAX code points). */
export function checkPasswordPolicy(
  password: string,
): { ok: true } | { ok: false; reason: PasswordPolicyViolation } {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return { ok: false, reason: "too_short" };
  if (length > PASSWORD_MAX) return { ok: false, reason: "too_long" };
  return { ok: true };
}

// NFC so that the same password typed on systems that compose accents differently still matches.
const normalize = (password: string): string => password.normalize("NFC");

/** Hash a password with argon2id; the PHC string carries its salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(normalize(password), PASSWORD_HASH_OPTIONS);
}

/**
 * Whether `password` matches the argon2 PHC string `passwordHash`. Never throws: a malformed or
 * unsupported hash answers `false`.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (typeof passwordHash !== "string" || typeof password !== "string") return false;
  try {
    return await verify(passwordHash, normalize(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spend the time of one password verification and answer `false`: call it when the email is
 * unknown so that the response time does not reveal which accounts exist.
 */
export async function verifyPasswordAgainstNothing(password: string): Promise<false> {
  // Hashed once per process, lazily, from a random secret nobody knows.
  dummyHash ??= hashPassword(randomBytes(32).toString("hex"));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Whether `passwordHash` was made with other parameters than today's and should be redone. */
export function passwordNeedsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
