import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Logger } from "pino";

/** GitHub's published secret-scanning keys (what APF_GITHUB_KEYS defaults to). */
export const GITHUB_SECRET_SCANNING_KEYS_URL =
  "https://api.github.com/meta/public_keys/secret_scanning";

/** Unknown identifiers may cause at most this many re-reads of the key set per minute. */
const MAX_REFRESHES_PER_MINUTE = 10;
const FETCH_TIMEOUT_MS = 5000;

interface PublishedKeySet {
  public_keys?: { key_identifier?: unknown; key?: unknown; is_current?: unknown }[];
}

/** Verifies GitHub's secret-scanning signatures against its published key set. */
export interface GithubKeySet {
  /** True when `signature` (base64 DER ECDSA P-256/SHA-256) signs `body` with key `identifier`. */
  verify(identifier: string, signature: string, body: Uint8Array): Promise<boolean>;
}

async function readKeySet(source: string): Promise<Map<string, KeyObject>> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`key set answered HTTP ${res.status}`);
    text = await res.text();
  } else {
    text = await readFile(source, "utf8");
  }
  const parsed = JSON.parse(text) as PublishedKeySet;
  const keys = new Map<string, KeyObject>();
  for (const entry of parsed.public_keys ?? []) {
    if (typeof entry.key_identifier !== "string" || typeof entry.key !== "string") continue;
    try {
      const key = createPublicKey(entry.key);
      // Only P-256 keys count: a key of another kind never verifies a report.
      if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") {
        keys.set(entry.key_identifier, key);
      }
    } catch {
      // A malformed entry is skipped; the others still verify.
    }
  }
  return keys;
}

/**
 * The key set of `source` (a file path or an http(s) URL), read on first use and cached. An
 * identifier not in the cache makes it re-read once (a rotated key), at most
 * MAX_REFRESHES_PER_MINUTE times a minute so unknown identifiers cannot make us hammer GitHub.
 */
export function createGithubKeySet(source: string, logger: Logger): GithubKeySet {
  let keys: Map<string, KeyObject> | null = null;
  let inFlight: Promise<void> | null = null;
  let refreshes: number[] = [];

  const load = () => {
    inFlight ??= readKeySet(source)
      .then((read) => {
        keys = read;
      })
      .catch((error) => {
        logger.warn(
          { err: error },
          "cannot read the GitHub secret-scanning key set (APF_GITHUB_KEYS)",
        );
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const keyFor = async (identifier: string): Promise<KeyObject | undefined> => {
    if (!keys) await load();
    const known = keys?.get(identifier);
    if (known) return known;
    const now = Date.now();
    refreshes = refreshes.filter((t) => now - t < 60_000);
    if (refreshes.length >= MAX_REFRESHES_PER_MINUTE) return undefined;
    refreshes.push(now);
    await load();
    return keys?.get(identifier);
  };

  return {
    async verify(identifier, signature, body) {
      if (!identifier || !signature) return false;
      const key = await keyFor(identifier);
      if (!key) return false;
      try {
        return verify(
          "sha256",
          body,
          { key, dsaEncoding: "der" },
          Buffer.from(signature, "base64"),
        );
      } catch {
        return false;
      }
    },
  };
}
