import { mintInvitationToken, mintToken } from "@apf/auth";
import { describe, expect, it } from "vitest";
import { scrubDetails } from "../src/modules/audit/audit.ts";

describe("scrubDetails", () => {
  it("drops every *_token and *_hash field, and cuts token-looking strings", () => {
    const invitation = mintInvitationToken().token;
    const key = mintToken("live").token;
    const out = scrubDetails({
      email: "a@example.test",
      accept_token: invitation,
      invitation_token: invitation,
      session_token: key,
      token_hash: "ab".repeat(32),
      note: `pasted ${invitation} and ${key}`,
    });
    expect(out).toEqual({
      email: "a@example.test",
      note: `pasted ${invitation.slice(0, 12)}…[redacted] and ${key.slice(0, 13)}…[redacted]`,
    });
  });
});
