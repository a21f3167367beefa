import { mintToken } from "@apf/auth";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/services/logger.ts";
import { LogCapture } from "./support/services.ts";

const FULL_TOKEN = /apf_(live|agent|sess)_[0-9a-f]{64}/;

describe("logger", () => {
  it("redacts Authorization, cookies and passwords by path", () => {
    const out = new LogCapture();
    const logger = createLogger("info", out);
    logger.info(
      {
        headers: { authorization: "Bearer secret-value", cookie: "apf_session=secret-cookie" },
        password: "hunter2hunter2",
        body: { password: "hunter3hunter3" },
      },
      "request",
    );
    expect(out.text).not.toContain("secret-value");
    expect(out.text).not.toContain("secret-cookie");
    expect(out.text).not.toContain("hunter2hunter2");
    expect(out.text).not.toContain("hunter3hunter3");
    expect(out.entries()[0]).toMatchObject({ msg: "request" });
  });

  it("cuts any apf_ token anywhere (message, nested field, error) to its preview", () => {
    const out = new LogCapture();
    const logger = createLogger("info", out);
    const live = mintToken("live").token;
    const agent = mintToken("agent").token;
    const sess = mintToken("sess").token;
    logger.info({ deep: { list: [`key=${agent}`] }, err: new Error(`bad ${sess}`) }, `got ${live}`);
    logger.warn(`plain ${live}`);
    expect(out.lines).toHaveLength(2);
    expect(out.text).not.toMatch(FULL_TOKEN);
    expect(out.text).toContain(live.slice(0, 13));
  });
});
