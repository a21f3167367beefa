/**
 * Concurrent asks for the same thing share one run: while a run for `key` under `tag` is in
 * flight, asking again with the same key and tag joins it instead of starting another (e.g. 50
 * pollers missing one organization's list at once make one database read). A different tag
 * starts a run of its own, which later asks then join.
 */
export function sharedRuns<T>() {
  const running = new Map<string, { tag: unknown; promise: Promise<T> }>();
  return {
    run(
      key: string,
      tag: unknown,
      start: () => Promise<T>,
    ): { promise: Promise<T>; joined: boolean } {
      const current = running.get(key);
      if (current && current.tag === tag) return { promise: current.promise, joined: true };
      const promise = start();
      const entry = { tag, promise };
      running.set(key, entry);
      const done = () => {
        if (running.get(key) === entry) running.delete(key);
      };
      promise.then(done, done);
      return { promise, joined: false };
    },
  };
}
