import { signal } from "@preact/signals";
import { BASE, setNavigator } from "./context.ts";

/** Where the dashboard is: the path under /dashboard, the query and the fragment. */
export interface Place {
  path: string;
  query: URLSearchParams;
  hash: URLSearchParams;
  /** Pushed by a link or `navigate` (the page then takes focus), not restored or replaced. */
  pushed: boolean;
}

function read(pushed: boolean): Place {
  return {
    path: location.pathname.slice(BASE.length) || "/",
    query: new URLSearchParams(location.search),
    hash: new URLSearchParams(location.hash.slice(1)),
    pushed,
  };
}

/** The current place; every screen is drawn from it. */
export const place = signal<Place>(read(false));

/** Goes to a dashboard URL without reloading the page. */
export function navigate(url: string, replaceState = false): void {
  if (replaceState) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  place.value = read(!replaceState);
}

/** Links inside the dashboard change the screen without reloading; Back and Forward too. */
export function startRouter(): void {
  setNavigator((url) => navigate(url));
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element).closest?.("a");
    if (!link || link.target || !link.href) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
    if (url.pathname === location.pathname && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  window.addEventListener("popstate", () => {
    place.value = read(false);
  });
}
