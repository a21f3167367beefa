/** Writes a batch of items; one answer per item, in the batch's order (a value or an error). */
export type BatchWrite<I, O> = (items: readonly I[]) => Promise<(O | Error)[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted under one key while a batch of that key is being written wait,
 * and are written together as the next batch (no timer: a lone item is written at once). Per
 * key, batches run one after the other, in the order their items came. When a batch fails as a
 * whole, each of its items is written again as a batch of its own, so one bad item fails alone.
 */
export class GroupCommit<I, O> {
  readonly #waiting = new Map<string, Waiting<I, O>[]>();

  constructor(
    private readonly write: BatchWrite<I, O>,
    private readonly maxBatch = 64,
  ) {}

  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.#waiting.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.#waiting.set(key, [{ item, resolve, reject }]);
      void this.#drain(key);
    });
  }

  /** Writes the key's waiting items, a batch at a time, until none is left. */
  async #drain(key: string) {
    const queue = this.#waiting.get(key)!;
    while (queue.length > 0) {
      // Items stay in the queue while their batch is written: the key counts as busy meanwhile.
      const batch = queue.slice(0, this.maxBatch);
      await this.#writeBatch(batch);
      queue.splice(0, batch.length);
    }
    this.#waiting.delete(key);
  }

  async #writeBatch(batch: Waiting<I, O>[]) {
    let answers: (O | Error)[];
    try {
      answers = await this.write(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const one of batch) await this.#writeBatch([one]);
      return;
    }
    batch.forEach((w, i) => {
      const answer = answers[i];
      if (answer instanceof Error) w.reject(answer);
      else w.resolve(answer as O);
    });
  }
}
