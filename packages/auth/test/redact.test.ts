import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mintToken, REDACTED, redactTokens, TOKEN_KINDS, TOKEN_PREFIXES } from "../src/index.ts";

const bodyOf = (token: string) => token.replace(/^apf_[a-z]+_/, "");

describe("redactTokens", () => {
  it.each(TOKEN_KINDS)("keeps the %s prefix and 4 characters, drops the rest", (kind) => {
    const { token } = mintToken(kind);
    const body = bodyOf(token);
    const line = `GET /public/v1/printers authorization="Bearer ${token}" 200`;
    const out = redactTokens(line);
    expect(out).toBe(
      `GET /public/v1/printers authorization="Bearer ${TOKEN_PREFIXES[kind]}${body.slice(0, 4)}${REDACTED}" 200`,
    );
    expect(out).not.toContain(body.slice(4));
  });

  it("redacts every token of a text", () => {
    const tokens = TOKEN_KINDS.map((k) => mintToken(k).token);
    const out = redactTokens(tokens.join("\n"));
    for (const t of tokens) expect(out).not.toContain(bodyOf(t).slice(4));
    expect(out.split("\n")).toHaveLength(3);
  });

  it("redacts tokens glued to word characters, uppercased, truncated or extended", () => {
    const { token } = mintToken("live");
    const body = bodyOf(token);
    const variants = [
      `key_${token}`,
      `${token}xyz`,
      token.toUpperCase(),
      token.slice(0, -1),
      `${token}0`,
    ];
    for (const v of variants) {
      const out = redactTokens(v).toLowerCase();
      expect(out).not.toContain(body.slice(4, 60));
      expect(out).toContain(REDACTED);
    }
  });

  it("is idempotent and leaves unrelated text alone", () => {
    const { token } = mintToken("sess");
    const once = redactTokens(`cookie apf_session=${token}; theme=dark`);
    expect(redactTokens(once)).toBe(once);
    expect(once).toContain("apf_session=");
    expect(once).toContain("; theme=dark");
    expect(redactTokens("no secrets here, just apf_live_ and 0123abcd")).toBe(
      "no secrets here, just apf_live_ and 0123abcd",
    );
  });

  it("never leaves a token's last 60 body characters, whatever surrounds it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TOKEN_KINDS),
        fc.string(),
        fc.string(),
        (kind, before, after) => {
          const { token } = mintToken(kind);
          expect(redactTokens(before + token + after)).not.toContain(bodyOf(token).slice(4));
        },
      ),
    );
  });
});
