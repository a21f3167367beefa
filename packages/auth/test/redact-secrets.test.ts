import { describe, expect, it } from "vitest";
import { hasTokenShape, isSecretField, redactSecrets, TOKEN_PREFIXES } from "../src/index.ts";

describe("redactSecrets (API logs, agent logs, audit details)", () => {
  it("cuts tokens to their preview and censors credential header values", () => {
    const token = `apf_agent_${"0123456789abcdef".repeat(4)}`;
    expect(redactSecrets(`sent ${token}`)).toBe("sent apf_agent_0123…[redacted]");
    expect(redactSecrets("X-Api-Key: K1234567890, Authorization: Bearer zzzz")).toBe(
      "X-Api-Key: [redacted], Authorization: Bearer [redacted]",
    );
    expect(redactSecrets("nothing secret here")).toBe("nothing secret here");
  });

  it("names the fields that only hold secrets", () => {
    for (const name of ["password", "apiKey", "api_key", "X-Api-Key", "agent_token", "key_hash"]) {
      expect(isSecretField(name)).toBe(true);
    }
    for (const name of ["name", "machines", "keyId", "token_count", "hashes"]) {
      expect(isSecretField(name)).toBe(false);
    }
  });

  it("recognises the shape of a token, checksum aside", () => {
    expect(hasTokenShape(`apf_agent_${"ab".repeat(32)}`, TOKEN_PREFIXES.agent)).toBe(true);
    expect(hasTokenShape(`apf_agent_${"AB".repeat(32)}`, TOKEN_PREFIXES.agent)).toBe(false);
    expect(hasTokenShape(`apf_live_${"ab".repeat(32)}`, TOKEN_PREFIXES.agent)).toBe(false);
    expect(hasTokenShape(`apf_agent_${"ab".repeat(31)}`, TOKEN_PREFIXES.agent)).toBe(false);
  });
});
