import { describe, expect, it, vi } from "vitest";

vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, verify: vi.fn(real.verify) };
});

const argon2 = await import("@node-rs/argon2");
const { verifyPasswordAgainstNothing } = await import("../src/index.ts");

describe("verifyPasswordAgainstNothing", () => {
  it("runs a real argon2id verification with the production parameters", async () => {
    vi.mocked(argon2.verify).mockClear();
    expect(await verifyPasswordAgainstNothing("wrong password!")).toBe(false);
    expect(argon2.verify).toHaveBeenCalledTimes(1);
    const [hash] = vi.mocked(argon2.verify).mock.calls[0]!;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
