// A secretlint rule for apf tokens that, unlike a regex-only scanner, also checks the CRC-32,
// so a look-alike with a wrong checksum (a typo, a made-up example) is not reported.
// Plain JavaScript because secretlint loads rules with Node's own import(), without tsx; the
// construction mirrors packages/auth/src/token.ts and a test checks that both agree.
import zlib from "node:zlib";

const PATTERN_SOURCE = String.raw`\bapf_(?:live|agent|sess)_[0-9a-f]{64}\b`;

/** @type {Uint32Array | undefined} */
let table;

/** @param {string} ascii */
function crc32Fallback(ascii) {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++)
    crc = table[(crc ^ ascii.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 arrived in Node 20.15.
const crc32 = zlib.crc32 ?? crc32Fallback;

/**
 * Whether a string matched by the pattern carries a valid CRC-32 in its last 8 hex digits.
 * @param {string} token
 */
export function hasValidChecksum(token) {
  const head = token.slice(0, -8);
  return crc32(head).toString(16).padStart(8, "0") === token.slice(-8);
}

export const messages = {
  APF_TOKEN: {
    en: (/** @type {{ PREVIEW: string }} */ props) =>
      `found an apf token with a valid checksum: ${props.PREVIEW}`,
  },
};

/** The secretlint rule; load it with the id `@apf/auth/secretlint` in `.secretlintrc.json`. */
export const creator = {
  messages,
  meta: {
    id: "@apf/auth/secretlint",
    recommended: true,
    type: "scanner",
    supportedContentTypes: ["text"],
  },
  /** @param {import("@secretlint/types").SecretLintRuleContext} context */
  create(context) {
    const t = context.createTranslator(messages);
    return {
      /** @param {import("@secretlint/types").SecretLintSourceCode} source */
      file(source) {
        for (const match of source.content.matchAll(new RegExp(PATTERN_SOURCE, "g"))) {
          const token = match[0];
          if (!hasValidChecksum(token)) continue;
          const start = match.index ?? 0;
          const prefixEnd = token.indexOf("_", 4) + 1;
          // The report carries only a preview, never the whole secret.
          const preview = `${token.slice(0, prefixEnd + 4)}…${token.slice(-4)}`;
          context.report({
            message: t("APF_TOKEN", { PREVIEW: preview }),
            range: [start, start + token.length],
          });
        }
      },
    };
  },
};
