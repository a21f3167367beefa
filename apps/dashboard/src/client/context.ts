import type { Me } from "./api/types.ts";

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
