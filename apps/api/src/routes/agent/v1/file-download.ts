import { Readable } from "node:stream";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AgentEnv } from "../../../context.ts";
import { openDownload } from "../../../modules/files/download-link.ts";
import { AGENT_SECURITY, errors } from "../../../openapi/kit.ts";

export const route = createRoute({
  method: "get",
  path: "/files/{token}",
  operationId: "agentDownloadFile",
  tags: ["Agent"],
  summary: "Download a print file",
  description:
    "The bytes of the print file a `print` command names, from the signed link in the command (`file.url`, valid 1 hour, for agents of the file's organization only). Check `size_bytes` and `sha256` before handing the file to OctoPrint. A link of another organization is 404; INVALID_TOKEN: not a link this server signed; TOKEN_EXPIRED: more than an hour old.",
  security: AGENT_SECURITY,
  request: {
    params: z.object({
      token: z
        .string()
        .max(4200)
        .openapi({ param: { name: "token", in: "path" } }),
    }),
  },
  responses: {
    200: {
      description: "The file's bytes, with Content-Length and X-Content-SHA256.",
      content: {
        "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errors(401, 404, 429, 503),
  },
});

/** GET /agent/v1/files/{token} */
export const handler: RouteHandler<typeof route, AgentEnv> = async (c) => {
  const { token } = c.req.valid("param");
  const download = await openDownload(c.get("services"), c.get("agent").organizationId, token);
  return c.body(Readable.toWeb(download.body) as ReadableStream, 200, {
    "Content-Type": "application/octet-stream",
    "Content-Length": String(download.sizeBytes),
    "X-Content-SHA256": download.file.sha256,
  });
};
