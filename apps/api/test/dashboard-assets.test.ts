import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";

let services: TestServices;
let app: ReturnType<typeof createApp>;
/** The hashed paths the shell names, e.g. `/dashboard/assets/app-<digest>.js`. */
const paths = { script: "", styles: "" };

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
  const html = await (await app.request("/dashboard")).text();
  paths.script = /src="(\/dashboard\/assets\/app-\w+\.js)"/.exec(html)![1]!;
  paths.styles = /href="(\/dashboard\/assets\/app-\w+\.css)"/.exec(html)![1]!;
});
afterAll(() => services.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("the dashboard's script and stylesheet", () => {
  it.each([
    ["script", "text/javascript; charset=utf-8"],
    ["styles", "text/css; charset=utf-8"],
  ] as const)(
    "%s: identity without Accept-Encoding, br or gzip that decode to the same bytes when accepted",
    async (kind, type) => {
      const path = paths[kind];
      const identity = await get(path);
      expect(identity.res.status).toBe(200);
      expect(identity.res.headers.get("content-type")).toBe(type);
      expect(identity.res.headers.get("content-encoding")).toBeNull();
      expect(identity.res.headers.get("vary")).toMatch(/accept-encoding/i);
      expect(identity.res.headers.get("cache-control")).toBe(IMMUTABLE);
      expect(Number(identity.res.headers.get("content-length"))).toBe(identity.bytes.byteLength);

      const br = await get(path, { "accept-encoding": "gzip, deflate, br" });
      expect(br.res.headers.get("content-encoding")).toBe("br");
      expect(br.res.headers.get("content-type")).toBe(type);
      expect(br.bytes.byteLength).toBeLessThan(identity.bytes.byteLength);
      expect(brotliDecompressSync(br.bytes).equals(identity.bytes)).toBe(true);

      const gzip = await get(path, { "accept-encoding": "gzip" });
      expect(gzip.res.headers.get("content-encoding")).toBe("gzip");
      expect(gunzipSync(gzip.bytes).equals(identity.bytes)).toBe(true);

      // Each coding has its ETag, and a 304 answers only the coding it names.
      const tags = [identity, br, gzip].map((r) => r.res.headers.get("etag"));
      expect(new Set(tags).size).toBe(3);
      const again = await get(path, { "accept-encoding": "br", "if-none-match": tags[1]! });
      expect(again.res.status).toBe(304);
      expect(again.res.headers.get("etag")).toBe(tags[1]);
      expect(again.res.headers.get("cache-control")).toBe(IMMUTABLE);
      const other = await get(path, { "accept-encoding": "br", "if-none-match": tags[0]! });
      expect(other.res.status).toBe(200);
    },
  );

  it("compresses each asset once per coding, not per request", async () => {
    const { stats } = services.encodedBodies;
    for (const path of [paths.script, paths.styles]) {
      await get(path, { "accept-encoding": "br" });
      await get(path, { "accept-encoding": "gzip" });
    }
    const after = stats.compressions;
    for (let i = 0; i < 5; i++) {
      for (const path of [paths.script, paths.styles]) {
        for (const coding of ["br", "gzip", "identity"]) {
          expect((await get(path, { "accept-encoding": coding })).res.status).toBe(200);
        }
      }
    }
    expect(stats.compressions).toBe(after);
  });

  it("keeps the site's own headers on a compressed answer", async () => {
    const { res } = await get(paths.script, { "accept-encoding": "br" });
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
