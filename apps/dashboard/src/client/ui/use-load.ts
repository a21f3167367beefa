import { useCallback, useEffect, useState } from "preact/hooks";

export type Loaded<T> =
  | { state: "loading" }
  | { state: "failed"; error: unknown }
  | { state: "ready"; value: T };

/**
 * Loads `fn` when `deps` change and on `reload()`; keeps the last value while reloading, so a
 * list does not blink (and lose focus) on every refresh.
 */
export function useLoad<T>(
  fn: () => Promise<T>,
  deps: unknown[],
): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const reload = useCallback(
    () =>
      fn().then(
        (value) => setLoaded({ state: "ready", value }),
        (error: unknown) => setLoaded({ state: "failed", error }),
      ),
    deps,
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return [loaded, reload];
}
