import { mintInvitationToken, mintToken } from "@apf/auth";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/platform/logger.ts";
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

  it("censors invitation tokens by path and cuts them anywhere else", () => {
    const out = new LogCapture();
    const logger = createLogger("info", out);
    const [a, b, c] = [1, 2, 3].map(() => mintInvitationToken().token);
    logger.info({ body: { invitation_token: a }, invitation: { accept_token: b } }, `got ${c}`);
    for (const token of [a!, b!, c!]) expect(out.text).not.toContain(token.slice(12));
    expect(out.text).toContain(c!.slice(0, 12));
  });

  it("keeps token hashes, password hashes and failed queries' parameters out of error logs", () => {
    const out = new LogCapture();
    const logger = createLogger("info", out);
    const hash = "ab".repeat(32);
    const argon = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    const failed = new Error(
      `Failed query: select * from api_keys where key_hash = $1\nparams: ${hash},someone@example.test`,
      { cause: Object.assign(new Error("connection terminated"), { code: "57P01" }) },
    );
    logger.error({ err: failed, row: { password_hash: argon } }, `lookup of ${hash} failed`);
    expect(out.text).not.toContain(hash);
    expect(out.text).not.toContain("someone@example.test");
    expect(out.text).not.toContain("aGFzaGhhc2hoYXNo");
    expect(out.text).toContain("Failed query: select * from api_keys");
    expect(out.text).toContain("connection terminated");
  });
});
