import zlib from "node:zlib";

let table: Uint32Array | undefined;

function ieeeTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE 802.3) of an ASCII string, in pure JS; same result as `zlib.crc32`. */
export function crc32Fallback(ascii: string): number {
  const t = ieeeTable();
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++) {
    crc = t[(crc ^ ascii.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 arrived in Node 20.15; the package.json engines floor is 20.11.
const native = (zlib as { crc32?: (data: string) => number }).crc32;

/** CRC-32 (IEEE 802.3, as `zlib.crc32`) of an ASCII string. */
export const crc32: (ascii: string) => number = native ?? crc32Fallback;

/** The CRC-32 of `ascii` as 8 lowercase hex digits, zero-padded. */
export function crc32Hex(ascii: string): string {
  return crc32(ascii).toString(16).padStart(8, "0");
}
