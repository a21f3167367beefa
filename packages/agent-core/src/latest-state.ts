import type { MachineReport } from "./report-types.ts";

/** An entry as taken for sending; `seq` tells whether it was replaced since. */
export interface PendingEntry {
  entry: MachineReport;
  seq: number;
}

/**
 * The newest undelivered state per machine. Each poll round replaces a machine's entry, so
 * while the backend is away memory stays at one entry per machine and only stale intermediate
 * samples are lost, never the last one seen.
 */
export class LatestState {
  readonly #entries = new Map<string, PendingEntry>();
  #seq = 0;

  /** Replaces each machine's entry with the given one. */
  put(entries: readonly MachineReport[]): void {
    for (const entry of entries) {
      this.#seq += 1;
      this.#entries.set(entry.machine_id, { entry, seq: this.#seq });
    }
  }

  /** Everything not yet delivered, oldest machine first. */
  pending(): PendingEntry[] {
    return [...this.#entries.values()];
  }

  /** Forgets delivered (or dropped) entries, except those replaced since they were taken. */
  settle(taken: readonly PendingEntry[]): void {
    for (const { entry, seq } of taken) {
      if (this.#entries.get(entry.machine_id)?.seq === seq) this.#entries.delete(entry.machine_id);
    }
  }

  /** Number of machines with an undelivered entry. */
  get size(): number {
    return this.#entries.size;
  }
}
