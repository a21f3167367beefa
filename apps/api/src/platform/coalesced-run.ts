/**
 * A background task that runs one round at a time: asked while a round runs, it runs once more
 * after it (however many times it was asked meanwhile), so nothing asked for is missed and no
 * two rounds overlap. A failure goes to `onError` and ends the round; the next request starts a
 * new one (the callers' timers ask again).
 */
export interface CoalescedRun {
  /** Runs the task now, or once more after the round under way; resolves when that round ends. */
  request(): Promise<void>;
  /** Whether a round is under way. */
  readonly busy: boolean;
  /** Asks for no more rounds; resolves when the one under way ends. */
  close(): Promise<void>;
}

export function coalescedRun(
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): CoalescedRun {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  return {
    request() {
      if (running) {
        again = true;
        return running;
      }
      if (closed) return Promise.resolve();
      running = (async () => {
        do {
          again = false;
          try {
            await task();
          } catch (error) {
            onError(error);
            return;
          }
        } while (again && !closed);
      })().finally(() => {
        running = null;
      });
      return running;
    },
    get busy() {
      return running !== null;
    },
    async close() {
      closed = true;
      await running;
    },
  };
}
