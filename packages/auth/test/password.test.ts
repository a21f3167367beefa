import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkPasswordPolicy,
  hashPassword,
  isCommonPassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordLength,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordAgainstNothing,
} from "../src/index.ts";

describe("hashPassword / verifyPassword", () => {
  it("hashes with argon2id, 19 MiB, 2 passes, 1 lane, and a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(a).not.toBe(b);
    expect(passwordNeedsRehash(a)).toBe(false);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterY")).toBe(false);
    expect(await verifyPassword(stored, "")).toBe(false);
  });

  it("matches a password however its accents are composed (NFC)", async () => {
    const composed = "mot de passe é\u00e9";
    const decomposed = "mot de passe e\u0301e\u0301";
    const stored = await hashPassword(composed);
    expect(await verifyPassword(stored, decomposed)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["garbage", "not a hash"],
    ["sha256 hex", "a".repeat(64)],
    ["truncated PHC", "$argon2id$v=19$m=19456,t=2,p=1$"],
    ["bcrypt", "$2b$10$abcdefghijklmnopqrstuuJ2oB0k3x1xQh3Xw5ZbL7vjQ9dSx9G6a"],
  ])("answers false on a malformed hash (%s) without throwing", async (_name, bad) => {
    await expect(verifyPassword(bad, "whatever-password")).resolves.toBe(false);
    expect(passwordNeedsRehash(bad)).toBe(true);
  });

  it("answers false on non-string input without throwing", async () => {
    await expect(verifyPassword(null as unknown as string, "x")).resolves.toBe(false);
  });

  it("flags hashes made with weaker parameters for rehash", () => {
    const weaker =
      "$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$3Z1mFJ6jH3dV2CEhbE9b7uH+6QzFz0S8t4bQX0d0K2E";
    expect(passwordNeedsRehash(weaker)).toBe(true);
  });
});

describe("verifyPasswordAgainstNothing", () => {
  it("always answers false", async () => {
    expect(await verifyPasswordAgainstNothing("anything at all")).toBe(false);
  });
});

describe("password policy", () => {
  it("accepts 10 to 200 characters", () => {
    expect(PASSWORD_MIN).toBe(10);
    expect(PASSWORD_MAX).toBe(200);
    expect(checkPasswordPolicy("a".repeat(9))).toEqual({ ok: false, reason: "too_short" });
    expect(checkPasswordPolicy("a".repeat(10))).toEqual({ ok: true });
    expect(checkPasswordPolicy("a".repeat(200))).toEqual({ ok: true });
    expect(checkPasswordPolicy("a".repeat(201))).toEqual({ ok: false, reason: "too_long" });
  });

  it("refuses a password of only whitespace or control characters", () => {
    for (const blank of [
      " ".repeat(10),
      "\t".repeat(12),
      "\u0000".repeat(10),
      " \u00a0\u2003\n\r\u200b    ",
    ]) {
      expect(checkPasswordPolicy(blank)).toEqual({ ok: false, reason: "blank" });
    }
    expect(checkPasswordPolicy("   a      ")).toEqual({ ok: true });
  });

  it("refuses the most common passwords from the shipped list, in any case", () => {
    for (const common of ["1234567890", "password123", "QWERTYUIOP", "Qwertyuiop"]) {
      expect(checkPasswordPolicy(common)).toEqual({ ok: false, reason: "common" });
    }
    expect(isCommonPassword("123456")).toBe(true);
    expect(isCommonPassword("correct horse battery staple")).toBe(false);
    expect(checkPasswordPolicy("correct horse battery staple")).toEqual({ ok: true });
  });

  it("ships 10,000 common passwords, one a line, with their origin in the header", () => {
    const text = readFileSync(new URL("../data/common-passwords.txt", import.meta.url), "utf8");
    const lines = text.split("\n").filter(Boolean);
    expect(lines.filter((l) => !l.startsWith("#"))).toHaveLength(10_000);
    expect(lines.filter((l) => l.startsWith("#")).join("\n")).toMatch(/zxcvbn@4\.4\.2/);
  });

  it("counts code points, so ten emoji are ten characters", () => {
    const tenEmoji = "🔑".repeat(10);
    expect(tenEmoji.length).toBe(20);
    expect(passwordLength(tenEmoji)).toBe(10);
    expect(checkPasswordPolicy("🔑".repeat(9))).toEqual({ ok: false, reason: "too_short" });
  });
});
