import { crc32 } from "node:zlib";

/** The CRC-32 (IEEE 802.3, `zlib.crc32`) of `ascii` as 8 lowercase hex digits, zero-padded. */
export function crc32Hex(ascii: string): string {
  return crc32(ascii).toString(16).padStart(8, "0");
}
