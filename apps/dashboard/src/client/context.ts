import type { Me } from "./api/types.ts";
import type { Role } from "./types.ts";

/** What every screen of a signed-in user gets. */
export interface PageContext {
  me: Me;
  org: { id: string; name: string };
  role: Role;
  /** Owners and admins manage keys, agents, members and settings; members read. */
  canManage: boolean;
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  /** `/api/orgs/{orgId}` + path. */
  orgPath(path: string): string;
  /** Runs when the user leaves the screen (stop timers). */
  onLeave(fn: () => void): void;
  /** Loads /api/me again and redraws (after a change of name or membership). */
  reload(): Promise<void>;
}

/** What a screen before sign-in gets. */
export interface PublicContext {
  main: HTMLElement;
  query: URLSearchParams;
  hash: URLSearchParams;
  onLeave(fn: () => void): void;
}

export const BASE = "/dashboard";

let navigator: (path: string) => void = (path) => {
  location.assign(path);
};

/** Goes to a dashboard path without reloading the page. */
export function navigate(path: string): void {
  navigator(path);
}

export function setNavigator(fn: (path: string) => void): void {
  navigator = fn;
}

/** Resets what /api/me answered, after sign-in or sign-out. */
export const session = { me: null as Me | null };

const ORG_KEY = "apf.organization";

export function rememberOrganization(id: string): void {
  localStorage.setItem(ORG_KEY, id);
}

export function rememberedOrganization(): string | null {
  return localStorage.getItem(ORG_KEY);
}
