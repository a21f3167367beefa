import { describe, expect, it } from "vitest";
import { createRedactor } from "../src/logger.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";

const TOKENS = ["apf_live_", "apf_agent_", "apf_sess_"].map(
  (p) => `${p}${"0123456789abcdef".repeat(4)}`,
);

describe("logger redaction", () => {
  it("scrubs token-shaped strings from messages and fields", () => {
    const { logger, raw, lines } = memoryLogger();
    logger.info(
      { detail: `sent ${TOKENS[0]}`, nested: { list: [TOKENS[1]] } },
      `token ${TOKENS[2]} refused`,
    );
    const text = raw.join("");
    for (const token of TOKENS) expect(text).not.toContain(token);
    expect(lines[0]?.msg).toBe("token apf_sess_0123…[redacted] refused");
  });

  it("scrubs X-Api-Key and bearer values and secret-named fields", () => {
    const { logger, raw } = memoryLogger();
    logger.warn(
      {
        headers: { "X-Api-Key": "K1234567890", authorization: "Bearer abc" },
        apiKey: "K1234567890",
      },
      "X-Api-Key: K1234567890 and Authorization: Bearer zzzzzzzz",
    );
    expect(raw.join("")).not.toMatch(/K1234567890|zzzzzzzz|abc"/);
  });

  it("scrubs secrets it was told about, also inside errors", () => {
    const redactor = createRedactor();
    redactor.add("octoprint-key-4711");
    const { logger, raw } = memoryLogger(redactor);
    logger.error(
      { err: new Error("bad key octoprint-key-4711") },
      "request with octoprint-key-4711 failed",
    );
    expect(raw.join("")).not.toContain("octoprint-key-4711");
    expect(raw.join("")).toContain("bad key [redacted]");
  });
});
