import { createHash } from "node:crypto";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  hashToken,
  mintToken,
  parseToken,
  TOKEN_KINDS,
  TOKEN_PATTERN,
  TOKEN_PATTERN_SOURCE,
  TOKEN_PREFIXES,
  tokenPatternGlobal,
  tokenPreview,
} from "../src/index.ts";

const independentCrc = (text: string) => zlib.crc32(text).toString(16).padStart(8, "0");

/** A token of `kind` built by hand from a chosen random part, with a correct checksum. */
const handMade = (kind: keyof typeof TOKEN_PREFIXES, random56: string) => {
  const prefix = TOKEN_PREFIXES[kind];
  return `${prefix}${random56}${independentCrc(prefix + random56)}`;
};

describe("mintToken", () => {
  it.each(TOKEN_KINDS)("mints a %s token of prefix + 64 lowercase hex", (kind) => {
    const { token } = mintToken(kind);
    expect(token.startsWith(TOKEN_PREFIXES[kind])).toBe(true);
    expect(token.slice(TOKEN_PREFIXES[kind].length)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("matches the scanner regex of tokens.md for an API key", () => {
    const { token } = mintToken("live");
    expect(token).toMatch(/\bapf_live_[0-9a-f]{64}\b/);
    expect(TOKEN_PATTERN.test(token)).toBe(true);
  });

  it.each(TOKEN_KINDS)("ends a %s token with the CRC-32 of prefix + first 56 hex", (kind) => {
    const { token } = mintToken(kind);
    const prefix = TOKEN_PREFIXES[kind];
    const random = token.slice(prefix.length, prefix.length + 56);
    expect(random).toMatch(/^[0-9a-f]{56}$/);
    expect(token.slice(-8)).toBe(independentCrc(prefix + random));
  });

  it("returns the SHA-256 of the whole token and its preview", () => {
    const { token, hash, preview } = mintToken("agent");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(preview).toBe(tokenPreview(token));
  });

  it("never mints the same token twice", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => mintToken("live").token));
    expect(tokens.size).toBe(1000);
  });
});

describe("parseToken", () => {
  it("accepts a hand-built token with a correct checksum and returns its hash", () => {
    const token = handMade("live", "0123456789abcdef".repeat(3).slice(0, 56).padEnd(56, "a"));
    expect(parseToken(token, "live")).toEqual({ ok: true, token, hash: hashToken(token) });
  });

  it("rejects another kind's prefix as prefix", () => {
    const { token } = mintToken("agent");
    expect(parseToken(token, "live")).toEqual({ ok: false, reason: "prefix" });
    expect(parseToken(token, "sess")).toEqual({ ok: false, reason: "prefix" });
  });

  it.each([
    ["empty string", ""],
    ["bare prefix without underscore", "apf_live"],
    ["uppercase prefix", "APF_LIVE_"],
    ["Bearer still attached", "Bearer apf_live_"],
    ["leading space", " apf_live_"],
  ])("rejects %s as prefix", (_name, head) => {
    const { token } = mintToken("live");
    const input = head.length === 0 ? "" : head + token.slice(TOKEN_PREFIXES.live.length);
    expect(parseToken(input, "live")).toEqual({ ok: false, reason: "prefix" });
  });

  it("rejects 63 and 65 hex characters as length", () => {
    const { token } = mintToken("live");
    expect(parseToken(token.slice(0, -1), "live")).toEqual({ ok: false, reason: "length" });
    expect(parseToken(`${token}0`, "live")).toEqual({ ok: false, reason: "length" });
    expect(parseToken(`${token} `, "live")).toEqual({ ok: false, reason: "length" });
  });

  it("rejects uppercase hex as alphabet even when the checksum would match case-insensitively", () => {
    const token = handMade("live", "abcdef".repeat(10).slice(0, 56));
    const upper = TOKEN_PREFIXES.live + token.slice(TOKEN_PREFIXES.live.length).toUpperCase();
    expect(parseToken(upper, "live")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("rejects a non-hex character as alphabet", () => {
    const { token } = mintToken("sess");
    const bad = `${token.slice(0, 20)}g${token.slice(21)}`;
    expect(parseToken(bad, "sess")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("rejects a wrong checksum as checksum", () => {
    const { token } = mintToken("live");
    const last = token.at(-1) === "0" ? "1" : "0";
    expect(parseToken(token.slice(0, -1) + last, "live")).toEqual({
      ok: false,
      reason: "checksum",
    });
  });

  it("rejects a non-string without throwing", () => {
    expect(parseToken(undefined as unknown as string, "live")).toEqual({
      ok: false,
      reason: "prefix",
    });
  });
});

describe("hashToken", () => {
  it("is the SHA-256 hex of the whole string, prefix included", () => {
    const { token } = mintToken("sess");
    const body = token.slice(TOKEN_PREFIXES.sess.length);
    expect(hashToken(token)).toBe(createHash("sha256").update(token, "utf8").digest("hex"));
    expect(hashToken(token)).not.toBe(createHash("sha256").update(body).digest("hex"));
  });
});

describe("tokenPreview", () => {
  it.each(TOKEN_KINDS)("shows prefix, first 4 and last 4 of a %s body", (kind) => {
    const { token } = mintToken(kind);
    const body = token.slice(TOKEN_PREFIXES[kind].length);
    expect(tokenPreview(token)).toBe(
      `${TOKEN_PREFIXES[kind]}${body.slice(0, 4)}…${body.slice(-4)}`,
    );
    expect(tokenPreview(token)).toMatch(/^apf_(live|agent|sess)_[0-9a-f]{4}…[0-9a-f]{4}$/);
  });

  it("throws on a string that is not a token", () => {
    expect(() => tokenPreview("hello")).toThrow(TypeError);
  });
});

describe("token pattern", () => {
  it("is not global, so repeated test() calls do not alternate", () => {
    const { token } = mintToken("live");
    expect(TOKEN_PATTERN.flags).not.toContain("g");
    expect([1, 2, 3].map(() => TOKEN_PATTERN.test(token))).toEqual([true, true, true]);
  });

  it("finds every token in a text with the global copy", () => {
    const a = mintToken("live").token;
    const b = mintToken("agent").token;
    const found = [...`x=${a}, y="${b}"`.matchAll(tokenPatternGlobal())].map((m) => m[0]);
    expect(found).toEqual([a, b]);
  });

  it("is the pattern of tokens.md", () => {
    expect(TOKEN_PATTERN_SOURCE).toBe(String.raw`\bapf_(?:live|agent|sess)_[0-9a-f]{64}\b`);
  });
});
