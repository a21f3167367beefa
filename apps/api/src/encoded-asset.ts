import type { SendAsset } from "@apf/dashboard";
import { requestHeader } from "./middleware/request-headers.ts";
import { matchesAny } from "./openapi/encoded-json.ts";
import { chooseCoding, type EncodedBodies } from "./services/encoded-bodies.ts";

/**
 * Sends the dashboard's static assets (its script and stylesheet) in the coding the client
 * prefers: br, gzip or as they are. Each asset is compressed once per coding, on the first
 * request that wants it, and kept beside the built bytes for as long as they live (`bodies`:
 * services/encoded-bodies.ts), never per request. Each coding has its own ETag, so a 304 never
 * confirms bytes of another coding; the answer varies by Accept-Encoding.
 */
export function sendEncodedAsset(bodies: EncodedBodies): SendAsset {
  return async (c, asset) => {
    const coding = chooseCoding(requestHeader(c, "accept-encoding"));
    const encoded = await bodies.encode(asset.bytes, coding);
    c.header("Vary", "Accept-Encoding");
    c.header("ETag", encoded.etag);
    if (matchesAny(requestHeader(c, "if-none-match"), encoded.etag)) return c.body(null, 304);
    return c.body(encoded.bytes, 200, {
      "Content-Type": asset.contentType,
      "Content-Length": String(encoded.bytes.byteLength),
      ...(encoded.coding === "identity" ? {} : { "Content-Encoding": encoded.coding }),
    });
  };
}
