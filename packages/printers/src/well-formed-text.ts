/** A UTF-16 surrogate without its partner (in `u` mode a proper pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;
const REPLACEMENT = "\uFFFD";

/**
 * Replaces every lone surrogate in the strings and keys of a parsed JSON value with U+FFFD, the
 * Unicode replacement character, as a UTF-8 decoder does with a byte it cannot read. Python-based
 * hosts send such characters for non-UTF-8 file names (JSON `"caf\udce9.gcode"`); they are valid
 * JSON but no UTF-8 text, so Postgres cannot store them. Arrays and objects are fixed in place (the
 * value is the caller's freshly parsed body); an object with such a key is rebuilt in the same
 * key order. A value without any comes back as it is.
 */
export function replaceLoneSurrogates<T>(value: T): T {
  return fix(value) as T;
}

function fix(node: unknown): unknown {
  if (typeof node === "string") {
    return LONE_SURROGATE.test(node) ? node.replace(LONE_SURROGATES, REPLACEMENT) : node;
  }
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      const fixed = fix(item);
      if (fixed !== item) node[i] = fixed;
    }
    return node;
  }
  const record = node as Record<string, unknown>;
  let badKey = false;
  for (const key of Object.keys(record)) {
    if (LONE_SURROGATE.test(key)) badKey = true;
    const item = record[key];
    const fixed = fix(item);
    if (fixed !== item) record[key] = fixed;
  }
  if (!badKey) return record;
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key.replace(LONE_SURROGATES, REPLACEMENT), item]),
  );
}
