import { mintToken } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onError } from "../../src/errors.ts";
import { bearerCredential, verifyBearerToken } from "../../src/middleware/bearer-credential.ts";
import { createRouter } from "../../src/openapi/router.ts";
import type { TestServices } from "../support/services.ts";
import { body, failure, freshIp, publicTestServices } from "./helpers.ts";

let services: TestServices;
beforeAll(async () => {
  services = await publicTestServices();
});
afterAll(() => services.close());

/** A bare app around the building blocks, the way /agent/v1 would use them. */
function agentLikeApp(known: Map<string, "ok" | "revoked">) {
  let lookups = 0;
  const app = createRouter();
  app.use("*", async (c, next) => {
    c.set("services", services);
    c.set("requestId", "test");
    c.set("clientIp", c.req.header("x-forwarded-for") ?? "unknown");
    await next();
  });
  app.get("/credential", (c) => c.json({ credential: bearerCredential(c, "agent token") }));
  app.get("/verify", async (c) => {
    const principal = await verifyBearerToken<string>(c, {
      kind: "agent",
      noun: "agent token",
      async verify(hash) {
        lookups += 1;
        const state = known.get(hash);
        if (!state) return { ok: false, code: "TOKEN_INVALID", message: "unknown" };
        if (state === "revoked") return { ok: false, code: "TOKEN_REVOKED", message: "revoked" };
        return { ok: true, principal: `agent:${hash.slice(0, 8)}` };
      },
    });
    return c.json({ principal });
  });
  app.onError(onError);
  return { app, lookups: () => lookups };
}

const headers = (authorization?: string) => ({
  "X-Forwarded-For": freshIp(),
  ...(authorization === undefined ? {} : { Authorization: authorization }),
});

describe("bearerCredential", () => {
  const { app } = agentLikeApp(new Map());
  it("returns the credential of a Bearer header, whatever the scheme's case and spacing", async () => {
    for (const value of ["Bearer abc", "bEaReR   abc", " \tBearer abc \t"]) {
      const res = await app.request("/credential", { headers: headers(value) });
      expect(await body(res)).toEqual({ credential: "abc" });
    }
  });

  it("names the noun it was given in its messages", async () => {
    const res = await app.request("/credential", { headers: headers() });
    expect((await failure(res)).error).toContain("Authorization: Bearer <agent token>");
  });
});

describe("verifyBearerToken", () => {
  it("checks the token kind offline, then asks the verifier", async () => {
    const agent = mintToken("agent");
    const revoked = mintToken("agent");
    const { app, lookups } = agentLikeApp(
      new Map([
        [agent.hash, "ok"],
        [revoked.hash, "revoked"],
      ]),
    );
    const live = await app.request("/verify", {
      headers: headers(`Bearer ${mintToken("live").token}`),
    });
    expect((await failure(live)).code).toBe("TOKEN_INVALID");
    expect(lookups()).toBe(0);

    const ok = await app.request("/verify", { headers: headers(`Bearer ${agent.token}`) });
    expect(await body(ok)).toEqual({ principal: `agent:${agent.hash.slice(0, 8)}` });
    const gone = await app.request("/verify", { headers: headers(`Bearer ${revoked.token}`) });
    expect((await failure(gone)).code).toBe("TOKEN_REVOKED");
    expect(lookups()).toBe(2);
  });
});
