import { describe, expect, it } from "vitest";
import { chooseCoding, createEncodedBodies } from "../src/platform/encoded-bodies.ts";

describe("chooseCoding", () => {
  it.each([
    [undefined, "identity"],
    ["", "identity"],
    ["gzip, deflate, br", "br"],
    ["deflate, gzip, br, zstd", "br"],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["GZIP;Q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["br;q=0.2, gzip;q=0.9", "gzip"],
    ["br;q=1.0, gzip;q=1.0", "br"],
    ["*", "br"],
    ["*;q=0.5, br;q=0", "gzip"],
    ["identity", "identity"],
    ["identity;q=1, br;q=0.5", "identity"],
    ["br;q=0, gzip;q=0", "identity"],
    ["br;q=abc, gzip", "gzip"],
    ["br;q=2", "identity"],
    ["deflate, zstd", "identity"],
  ])("%s → %s", (header, coding) => {
    expect(chooseCoding(header)).toBe(coding);
  });
});

describe("encoded bodies", () => {
  it("compresses a body once per coding, and a different body again", async () => {
    const bodies = createEncodedBodies();
    const body = Buffer.from(
      JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ i })) }),
    );
    const [a, b] = await Promise.all([bodies.encode(body, "br"), bodies.encode(body, "br")]);
    expect(a.bytes).toBe(b.bytes);
    await bodies.encode(body, "gzip");
    await bodies.encode(body, "gzip");
    expect(bodies.stats.compressions).toBe(2);
    const other = Buffer.from(body);
    await bodies.encode(other, "br");
    expect(bodies.stats.compressions).toBe(3);
  });

  it("leaves a small body as it is", async () => {
    const bodies = createEncodedBodies();
    const small = await bodies.encode(Buffer.from('{"success":true}'), "br");
    expect(small.coding).toBe("identity");
    expect(bodies.stats.compressions).toBe(0);
  });
});
