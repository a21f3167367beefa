import type { Services } from "../context.ts";

/**
 * A state kept once per Services (one per createApp: an API instance, or a test's app), made on
 * first use: `const cacheOf = perServices((s) => createCache(s.db))`, then `cacheOf(services)`.
 */
export function perServices<T>(create: (services: Services) => T): (services: Services) => T {
  const made = new WeakMap<Services, T>();
  return (services) => {
    let value = made.get(services);
    if (value === undefined) {
      value = create(services);
      made.set(services, value);
    }
    return value;
  };
}
