import zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  mintToken,
  parseToken,
  TOKEN_KINDS,
  TOKEN_PREFIXES,
  type TokenKind,
} from "../src/index.ts";

const kind = fc.constantFrom(...TOKEN_KINDS);
const minted = kind.map((k) => ({ kind: k, token: mintToken(k).token }));
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });

describe("parseToken properties", () => {
  it("parses a minted token with its own kind and never with another kind", () => {
    fc.assert(
      fc.property(minted, ({ kind: k, token }) => {
        expect(parseToken(token, k).ok).toBe(true);
        for (const other of TOKEN_KINDS.filter((o) => o !== k)) {
          expect(parseToken(token, other)).toEqual({ ok: false, reason: "prefix" });
        }
      }),
    );
  });

  it("rejects any single-character substitution with another printable character", () => {
    fc.assert(
      fc.property(minted, fc.nat(), printable, ({ kind: k, token }, at, replacement) => {
        const i = at % token.length;
        fc.pre(token[i] !== replacement);
        const changed = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(parseToken(changed, k).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(TOKEN_KINDS)("rejects every substitution at every position of a %s token", (k) => {
    const { token } = mintToken(k);
    let tried = 0;
    for (let i = 0; i < token.length; i++) {
      for (let c = 0x20; c <= 0x7e; c++) {
        const replacement = String.fromCharCode(c);
        if (replacement === token[i]) continue;
        const changed = token.slice(0, i) + replacement + token.slice(i + 1);
        if (parseToken(changed, k).ok) throw new Error(`accepted a change at ${i} to ${c}`);
        tried++;
      }
    }
    expect(tried).toBe(token.length * 94);
  });

  it("rejects any substitution with a non-ASCII character", () => {
    fc.assert(
      fc.property(
        minted,
        fc.nat(),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
        ({ kind: k, token }, at, replacement) => {
          fc.pre(/[^\x20-\x7e]/.test(replacement));
          const i = at % token.length;
          const changed = token.slice(0, i) + replacement + token.slice(i + 1);
          expect(parseToken(changed, k).ok).toBe(false);
        },
      ),
    );
  });

  it("rejects any truncation", () => {
    fc.assert(
      fc.property(minted, fc.nat(), ({ kind: k, token }, n) => {
        const cut = token.slice(0, n % token.length);
        expect(parseToken(cut, k).ok).toBe(false);
      }),
    );
  });

  it("rejects any extension, at either end", () => {
    fc.assert(
      fc.property(minted, fc.string({ minLength: 1 }), fc.boolean(), (m, extra, atEnd) => {
        const longer = atEnd ? m.token + extra : extra + m.token;
        expect(parseToken(longer, m.kind).ok).toBe(false);
      }),
    );
  });

  it("rejects a token with any one hex letter uppercased", () => {
    fc.assert(
      fc.property(minted, fc.nat(), ({ kind: k, token }, pick) => {
        const start = TOKEN_PREFIXES[k].length;
        const letters = [...token.slice(start)]
          .map((ch, i) => ({ ch, i: start + i }))
          .filter(({ ch }) => /[a-f]/.test(ch));
        fc.pre(letters.length > 0);
        const { i } = letters[pick % letters.length]!;
        const changed = token.slice(0, i) + token[i]!.toUpperCase() + token.slice(i + 1);
        expect(parseToken(changed, k)).toEqual({ ok: false, reason: "alphabet" });
      }),
    );
  });

  it("accepts a well-shaped string exactly when its checksum is the CRC-32 (zlib oracle)", () => {
    fc.assert(
      fc.property(kind, hex(56), hex(8), fc.boolean(), (k, random, other, useCrc) => {
        const prefix = TOKEN_PREFIXES[k];
        const crc = zlib
          .crc32(prefix + random)
          .toString(16)
          .padStart(8, "0");
        const input = prefix + random + (useCrc ? crc : other);
        const expected = useCrc || other === crc;
        const result = parseToken(input, k);
        expect(result.ok).toBe(expected);
        if (!result.ok) expect(result.reason).toBe("checksum");
      }),
    );
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), kind, (input, k: TokenKind) => {
        const result = parseToken(input, k);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });
});
