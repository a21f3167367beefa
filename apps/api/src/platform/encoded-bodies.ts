import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

/** The content codings apf answers with, most preferred first on equal weight. */
export const CODINGS = ["br", "gzip", "identity"] as const;
export type ContentCoding = (typeof CODINGS)[number];

/** Below this many bytes an answer is sent as it is: compressing would save next to nothing. */
export const MIN_COMPRESSED_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * The coding to answer with for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable one
 * of highest weight, br before gzip before identity on a tie. `q=0` refuses a coding; `*` stands
 * for every coding not named; identity, unless refused, is always acceptable but chosen only when
 * nothing better is. No header (or nothing acceptable) means identity.
 */
export function chooseCoding(accept: string | undefined): ContentCoding {
  if (!accept) return "identity";
  const weights = new Map<string, number>();
  for (const part of accept.split(",")) {
    const [name = "", ...params] = part.split(";");
    let coding = name.trim().toLowerCase();
    if (coding === "") continue;
    if (coding === "x-gzip") coding = "gzip";
    let q = 1;
    for (const param of params) {
      const [key = "", value = ""] = param.split("=");
      if (key.trim().toLowerCase() !== "q") continue;
      const n = Number(value.trim());
      // A weight that is not a number between 0 and 1 makes the coding unacceptable.
      q = value.trim() !== "" && n >= 0 && n <= 1 ? n : 0;
    }
    weights.set(coding, Math.max(q, weights.get(coding) ?? 0));
  }
  const star = weights.get("*");
  const weightOf = (coding: ContentCoding) =>
    weights.get(coding) ??
    (coding === "identity" ? (star === 0 ? 0 : Number.MIN_VALUE) : (star ?? 0));
  let best: ContentCoding = "identity";
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const w = weightOf(coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}

/** One coding of a body: its bytes and its entity tag (distinct per coding). */
export interface EncodedBody {
  coding: ContentCoding;
  bytes: Uint8Array<ArrayBuffer>;
  /** A strong ETag, quoted. */
  etag: string;
}

interface Variants {
  hash: string;
  br?: Promise<Uint8Array<ArrayBuffer>>;
  gzip?: Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * Compressed copies of answers that a cache already holds as bytes (a printer list, a job page,
 * an OpenAPI document): each body is compressed at most once per coding, the first time a client
 * asks for that coding, and the copies live exactly as long as the cached bytes themselves (a
 * WeakMap keyed by them), so a rebuilt answer gets new copies and the old ones go with it. Never
 * hand it bytes made for one request: they would be compressed for that request alone.
 */
export interface EncodedBodies {
  encode(identity: Uint8Array<ArrayBuffer>, coding: ContentCoding): Promise<EncodedBody>;
  readonly stats: { compressions: number; failures: number };
}

export function createEncodedBodies(): EncodedBodies {
  const variants = new WeakMap<Uint8Array, Variants>();
  const stats = { compressions: 0, failures: 0 };

  const compress = (identity: Uint8Array<ArrayBuffer>, coding: "br" | "gzip") => {
    stats.compressions++;
    const out =
      coding === "br"
        ? brotli(identity, {
            params: {
              // 5: about as small as brotli gets on JSON like ours, at a fraction of 11's time.
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength,
            },
          })
        : gzipped(identity);
    return out.then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  };

  return {
    stats,
    async encode(identity, wanted) {
      let entry = variants.get(identity);
      if (!entry) {
        const hash = createHash("sha256").update(identity).digest("base64url").slice(0, 27);
        entry = { hash };
        variants.set(identity, entry);
      }
      const coding = identity.byteLength < MIN_COMPRESSED_BYTES ? "identity" : wanted;
      if (coding === "identity") {
        return { coding, bytes: identity, etag: `"${entry.hash}"` };
      }
      // Concurrent first requests share one compression (off the event loop, in libuv's pool).
      let pending = entry[coding];
      if (!pending) {
        pending = compress(identity, coding);
        entry[coding] = pending;
      }
      try {
        return { coding, bytes: await pending, etag: `"${entry.hash}-${coding}"` };
      } catch {
        // Not expected of zlib on bytes in memory; the answer then goes out as it is.
        stats.failures++;
        if (entry[coding] === pending) delete entry[coding];
        return { coding: "identity", bytes: identity, etag: `"${entry.hash}"` };
      }
    },
  };
}
