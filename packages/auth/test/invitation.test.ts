import { describe, expect, it } from "vitest";
import {
  hashToken,
  INVITATION_TOKEN_PREFIX,
  isInvitationToken,
  mintInvitationToken,
  parseToken,
  redactTokens,
  TOKEN_KINDS,
  TOKEN_PATTERN,
} from "../src/index.ts";

describe("invitation tokens", () => {
  it("mints apf_inv_ and 43 base64url characters, with the SHA-256 of the whole token", () => {
    const { token, hash } = mintInvitationToken();
    expect(token).toMatch(/^apf_inv_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(INVITATION_TOKEN_PREFIX)).toBe(true);
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(INVITATION_TOKEN_PREFIX.length));
  });

  it("never mints the same token twice", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => mintInvitationToken().token));
    expect(tokens.size).toBe(1000);
  });

  it("recognises its own shape only", () => {
    const { token } = mintInvitationToken();
    expect(isInvitationToken(token)).toBe(true);
    for (const bad of [
      "",
      INVITATION_TOKEN_PREFIX,
      token.slice(0, -1),
      `${token}A`,
      `${token.slice(0, -1)}=`,
      ` ${token}`,
      token.replace("apf_inv_", "apf_live_"),
    ]) {
      expect(isInvitationToken(bad), bad).toBe(false);
    }
  });

  it("is not a token of the three kinds", () => {
    const { token } = mintInvitationToken();
    expect(TOKEN_PATTERN.test(token)).toBe(false);
    for (const kind of TOKEN_KINDS) expect(parseToken(token, kind).ok).toBe(false);
  });

  it("is cut to its prefix and 4 characters by redactTokens", () => {
    const { token } = mintInvitationToken();
    const out = redactTokens(`{"invitation_token":"${token}"}`);
    expect(out).toBe(`{"invitation_token":"${token.slice(0, 12)}…[redacted]"}`);
    expect(redactTokens(out)).toBe(out);
  });
});
