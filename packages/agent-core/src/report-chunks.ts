import type { PendingEntry } from "./latest-state.ts";

/** One report's worth of entries and their JSON, serialised once. */
export interface Chunk {
  taken: PendingEntry[];
  json: string[];
  bytes: number;
}

/** Limits per report; the backend answers 413 above 1,000 machines or 5 MiB. */
export interface ChunkLimits {
  maxMachines: number;
  /** For the machines array; the envelope around it adds well under 1 KiB. */
  maxBytes: number;
}

/** Default limits: 1,000 machines and 4 MiB, leaving headroom under the 5 MiB limit. */
export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxMachines: 1000, maxBytes: 4 * 1024 * 1024 };

/**
 * Splits pending entries into reports within the limits. An entry that alone exceeds
 * `maxBytes` can never be delivered and is returned in `oversized`.
 */
export function chunkEntries(
  pending: readonly PendingEntry[],
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
): { chunks: Chunk[]; oversized: PendingEntry[] } {
  const chunks: Chunk[] = [];
  const oversized: PendingEntry[] = [];
  let current: Chunk = { taken: [], json: [], bytes: 0 };
  for (const item of pending) {
    const json = JSON.stringify(item.entry);
    const bytes = Buffer.byteLength(json) + 1;
    if (bytes > limits.maxBytes) {
      oversized.push(item);
      continue;
    }
    if (current.taken.length >= limits.maxMachines || current.bytes + bytes > limits.maxBytes) {
      chunks.push(current);
      current = { taken: [], json: [], bytes: 0 };
    }
    current.taken.push(item);
    current.json.push(json);
    current.bytes += bytes;
  }
  if (current.taken.length > 0) chunks.push(current);
  return { chunks, oversized };
}
