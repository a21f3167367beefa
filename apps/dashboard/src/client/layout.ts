import { post } from "./api.ts";
import { BASE, navigate, rememberOrganization, session } from "./context.ts";
import { h } from "./dom.ts";
import type { Me } from "./types.ts";

const NAV: { path: string; label: string; managers?: boolean }[] = [
  { path: "/printers", label: "Printers" },
  { path: "/jobs", label: "Jobs" },
  { path: "/inventory", label: "Inventory" },
  { path: "/filament", label: "Filament" },
  { path: "/keys", label: "API keys" },
  { path: "/agents", label: "Agents" },
  { path: "/members", label: "Members" },
  { path: "/settings", label: "Settings" },
  { path: "/audit", label: "Audit log", managers: true },
  { path: "/account", label: "Account" },
];

/** Signs out and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  try {
    await post("/auth/logout");
  } finally {
    session.me = null;
    navigate(`${BASE}/sign-in`);
  }
}

/** Header (organization switcher, who is signed in, sign out), navigation, and the main area. */
export function layout(me: Me, orgId: string, canManage: boolean, path: string) {
  const switcher = h(
    "select",
    { id: "org-switcher", name: "organization" },
    me.memberships.map((m) =>
      h(
        "option",
        { value: m.organization.id, selected: m.organization.id === orgId },
        `${m.organization.name} (${m.role})`,
      ),
    ),
  );
  switcher.addEventListener("change", () => {
    rememberOrganization(switcher.value);
    navigate(`${BASE}${path.replace(/^\/(printers|jobs)\/.*$/, "/$1")}`);
  });
  const signOutButton = h("button", { type: "button", class: "link" }, "Sign out");
  signOutButton.addEventListener("click", () => void signOut());
  const main = h("main", { id: "main", tabindex: "-1" });
  const current = `/${path.split("/")[1] ?? ""}`;
  const shell = h(
    "div",
    { class: "app" },
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h(
      "header",
      { class: "top" },
      h("a", { class: "brand", href: `${BASE}/printers` }, "apf"),
      h("div", { class: "org" }, h("label", { for: "org-switcher" }, "Organization"), switcher),
      h("span", { class: "who" }, me.user.email),
      signOutButton,
    ),
    h(
      "nav",
      { class: "side", "aria-label": "Dashboard" },
      h(
        "ul",
        null,
        NAV.filter((n) => !n.managers || canManage).map((n) =>
          h(
            "li",
            null,
            h(
              "a",
              { href: `${BASE}${n.path}`, "aria-current": n.path === current ? "page" : null },
              n.label,
            ),
          ),
        ),
      ),
    ),
    main,
  );
  return { shell, main };
}
