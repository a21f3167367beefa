import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../../context.ts";
import { ApiError } from "../../../../errors.ts";
import { limitBody } from "../../../../middleware/body-limit.ts";
import { recordFailedAuth } from "../../../../middleware/rate-limit.ts";
import { revokeLeakedTokens } from "../../../../modules/keys/leaked-tokens.ts";
import { errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import type { OpenPublicRouter } from "../operation.ts";

/** Most tokens one report may carry (GitHub batches its findings). */
const MAX_TOKENS_PER_REPORT = 1000;
/** GitHub sends reports of up to 1 MiB; this route's own limit (app.ts exempts it from 64 KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

const reportBodyLimit = limitBody(
  MAX_BODY_BYTES,
  () => new ApiError("PAYLOAD_TOO_LARGE", "A report may be at most 1 MiB."),
);

const leakSchema = z
  .object({
    token: z.string().max(500),
    type: z.string().max(200),
    url: z.string().max(4096).nullish(),
    source: z.string().max(200).nullish(),
  })
  .openapi("LeakedToken");

const verdictSchema = z
  .object({
    token_hash: z.string().openapi({ description: "SHA-256 (hex) of the reported token." }),
    token_type: z.string(),
    label: z.enum(["true_positive", "false_positive"]).openapi({
      description:
        "true_positive: a live apf_live_/apf_agent_ token, now revoked; false_positive: unknown, malformed, expired or already revoked.",
    }),
  })
  .openapi("LeakVerdict");

/**
 * The signature is checked on the raw bytes before anything parses them (tokens.md): a report
 * GitHub did not sign is refused without its body ever being read as JSON.
 */
const githubSignature = createMiddleware<AppEnv>(async (c, next) => {
  const identifier = c.req.header("github-public-key-identifier") ?? "";
  const signature = c.req.header("github-public-key-signature") ?? "";
  const body = new Uint8Array(await c.req.arrayBuffer());
  const valid = await c.get("services").githubKeys.verify(identifier, signature, body);
  if (!valid) {
    await recordFailedAuth(c);
    throw new ApiError(
      "UNAUTHORIZED",
      "Missing or invalid GitHub-Public-Key-Signature for GitHub-Public-Key-Identifier.",
    );
  }
  await next();
});

export const githubSecretScanningRoute = createRoute({
  method: "post",
  path: "/secret-scanning/github",
  operationId: "reportLeakedTokens",
  tags: ["Secret scanning"],
  summary: "GitHub secret-scanning partner endpoint",
  description:
    "GitHub's secret scanning posts the apf tokens it found in public. The body is signed by GitHub (ECDSA P-256 / SHA-256 over the raw body, base64 DER in `GitHub-Public-Key-Signature`, key named by `GitHub-Public-Key-Identifier` in GitHub's published key set): without a valid signature the answer is 401 and nothing changes. Each live `apf_live_` or `apf_agent_` token reported is revoked at once and audited (`key.revoked_leaked`, with the url and source). The answer is GitHub's format: a bare array, one verdict per reported token. A report may be at most 1 MiB (413 beyond). No API key.",
  security: [],
  middleware: [reportBodyLimit, githubSignature] as const,
  request: {
    headers: z.object({
      "github-public-key-identifier": z
        .string()
        .openapi({ description: "Which GitHub key signed." }),
      "github-public-key-signature": z
        .string()
        .openapi({ description: "Base64 DER ECDSA P-256/SHA-256 signature of the raw body." }),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: z.array(leakSchema).max(MAX_TOKENS_PER_REPORT) },
      },
    },
  },
  responses: {
    200: {
      description: "One verdict per reported token, in order.",
      content: { "application/json": { schema: z.array(verdictSchema) } },
    },
    ...errorResponses(400, 401, 413, 429, 500, 503),
  },
});

/** POST /public/v1/secret-scanning/github */
export function registerGithubSecretScanning(router: OpenPublicRouter) {
  router.openapi(githubSecretScanningRoute, async (c) => {
    const verdicts = await revokeLeakedTokens(c.get("services"), c.req.valid("json"));
    c.header("Cache-Control", "no-store");
    return json(c, verdicts, 200);
  });
}
