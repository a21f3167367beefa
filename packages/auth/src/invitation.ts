import { randomBytes } from "node:crypto";
import { hashToken } from "./token.ts";

/**
 * Invitation tokens are not one of the three token kinds of the spec (no checksum, no preview,
 * not scanned for): they are handed from inviter to invitee once and used once.
 */
export const INVITATION_TOKEN_PREFIX = "apf_inv_";

/** 256 bits from the CSPRNG, as 43 base64url characters. */
const RANDOM_BYTES = 32;

/** A well-formed invitation token: the prefix and 43 base64url characters. */
export const INVITATION_TOKEN_PATTERN = /^apf_inv_[A-Za-z0-9_-]{43}$/;

/** A new invitation token: `token` goes to the invitee once, only `hash` is stored. */
export function mintInvitationToken(): { token: string; hash: string } {
  const token = `${INVITATION_TOKEN_PREFIX}${randomBytes(RANDOM_BYTES).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/** Whether `input` has the shape of an invitation token (checked before any database call). */
export function isInvitationToken(input: string): boolean {
  return INVITATION_TOKEN_PATTERN.test(input);
}
