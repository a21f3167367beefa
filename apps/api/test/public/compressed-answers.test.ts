import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createPrinter } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";
import { call, publicTestServices, type TestApp, tenant } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let key: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db);
  key = t.key;
  // Enough printers for a list worth compressing.
  for (let i = 0; i < 30; i++) {
    await createPrinter(services.db, t.organization.id, { name: `Printer ${i}`, location: "A" });
  }
});
afterAll(() => services.close());

async function printers(acceptEncoding?: string, headers: Record<string, string> = {}) {
  const res = await call(app, "/public/v1/printers", {
    key,
    headers: {
      ...(acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding }),
      ...headers,
    },
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("GET /public/v1/printers, compressed", () => {
  it("answers identity without Accept-Encoding, saying it varies by it", async () => {
    const { res, bytes } = await printers();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
    expect(Number(res.headers.get("content-length"))).toBe(bytes.byteLength);
    expect(JSON.parse(bytes.toString("utf8")).data).toHaveLength(30);
  });

  it("sends br that decodes to the same JSON to a client that accepts br, gzip to one that takes only gzip", async () => {
    const identity = await printers();
    const br = await printers("gzip, deflate, br");
    expect(br.res.headers.get("content-encoding")).toBe("br");
    expect(Number(br.res.headers.get("content-length"))).toBe(br.bytes.byteLength);
    expect(br.bytes.byteLength).toBeLessThan(identity.bytes.byteLength);
    expect(brotliDecompressSync(br.bytes).equals(identity.bytes)).toBe(true);

    const gz = await printers("gzip");
    expect(gz.res.headers.get("content-encoding")).toBe("gzip");
    expect(Number(gz.res.headers.get("content-length"))).toBe(gz.bytes.byteLength);
    expect(gunzipSync(gz.bytes).equals(identity.bytes)).toBe(true);

    const etags = [identity, br, gz].map((a) => a.res.headers.get("etag"));
    expect(new Set(etags).size).toBe(3);
  });

  it("honours q-values: q=0 refuses a coding, the higher weight wins, identity when nothing else is acceptable", async () => {
    expect((await printers("br;q=0, gzip")).res.headers.get("content-encoding")).toBe("gzip");
    expect((await printers("br;q=0.5, gzip;q=0.8")).res.headers.get("content-encoding")).toBe(
      "gzip",
    );
    expect((await printers("*")).res.headers.get("content-encoding")).toBe("br");
    expect((await printers("br;q=0, gzip;q=0")).res.headers.get("content-encoding")).toBeNull();
    expect((await printers("deflate")).res.headers.get("content-encoding")).toBeNull();
  });

  it("compresses a cached list once per coding and reuses it", async () => {
    const { stats } = services.encodedBodies;
    await printers("br");
    await printers("gzip");
    const compressions = stats.compressions;
    for (let i = 0; i < 5; i++) {
      await printers("br");
      await printers("gzip, br");
      await printers("gzip");
    }
    expect(stats.compressions).toBe(compressions);
  });

  it("answers 304 to a client holding the coding's ETag, and 200 to one holding another coding's", async () => {
    const br = await printers("br");
    const etag = br.res.headers.get("etag")!;
    const again = await printers("br", { "If-None-Match": etag });
    expect(again.res.status).toBe(304);
    expect(again.bytes.byteLength).toBe(0);
    expect(again.res.headers.get("etag")).toBe(etag);
    const other = await printers("gzip", { "If-None-Match": etag });
    expect(other.res.status).toBe(200);
    expect(other.res.headers.get("content-encoding")).toBe("gzip");
  });

  it("sends a filtered list (made for one request) as it is", async () => {
    const res = await call(app, "/public/v1/printers?location=A", {
      key,
      headers: { "Accept-Encoding": "br" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect((await res.json()).data).toHaveLength(30);
  });
});

describe("other large answers", () => {
  it("sends the job page and the OpenAPI document compressed to a client that accepts it", async () => {
    const jobs = await call(app, "/public/v1/jobs?limit=50", {
      key,
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(jobs.status).toBe(200);
    expect(jobs.headers.get("vary")).toMatch(/accept-encoding/i);
    const doc = await call(app, "/public/v1/openapi.json", {
      headers: { "Accept-Encoding": "br" },
    });
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-encoding")).toBe("br");
    expect(doc.headers.get("access-control-allow-origin")).toBe("*");
    const decoded = JSON.parse(
      brotliDecompressSync(Buffer.from(await doc.arrayBuffer())).toString(),
    );
    expect(decoded.openapi).toMatch(/^3\./);
  });
});
