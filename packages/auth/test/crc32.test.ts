import zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32Hex } from "../src/crc32.ts";

describe("crc32Hex", () => {
  it("matches the IEEE check value for '123456789'", () => {
    expect(crc32Hex("123456789")).toBe("cbf43926");
  });

  it("pads to 8 lowercase hex digits", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (s) => {
        expect(crc32Hex(s)).toMatch(/^[0-9a-f]{8}$/);
        expect(Number.parseInt(crc32Hex(s), 16)).toBe(zlib.crc32(s));
      }),
    );
    expect(crc32Hex("")).toBe("00000000");
  });
});
