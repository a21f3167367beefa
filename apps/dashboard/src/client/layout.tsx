import type { ComponentChildren } from "preact";
import { api } from "./api/client.ts";
import type { Me } from "./api/types.ts";
import { BASE, rememberOrganization, session } from "./context.ts";
import { navigate } from "./router.ts";

interface NavEntry {
  path: string;
  label: string;
  managers?: boolean;
}

export const NAV: NavEntry[] = [
  { path: "/printers", label: "Printers" },
  { path: "/queue", label: "Queue" },
  { path: "/files", label: "Files" },
  { path: "/jobs", label: "Jobs" },
  { path: "/worklist", label: "Worklist" },
  { path: "/analytics", label: "Analytics" },
  { path: "/inventory", label: "Inventory" },
  { path: "/filament", label: "Filament" },
  { path: "/keys", label: "API keys" },
  { path: "/webhooks", label: "Webhooks", managers: true },
  { path: "/agents", label: "Agents" },
  { path: "/members", label: "Members" },
  { path: "/settings", label: "Settings" },
  { path: "/audit", label: "Audit log", managers: true },
  { path: "/account", label: "Account" },
];

/** Signs out and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  try {
    await api.POST("/auth/logout");
  } finally {
    session.me = null;
    navigate(`${BASE}/sign-in`);
  }
}

interface LayoutProps {
  me: Me;
  orgId: string;
  canManage: boolean;
  path: string;
  children: ComponentChildren;
}

/** Header (organization switcher, who is signed in, sign out), navigation, and the main area. */
export function Layout({ me, orgId, canManage, path, children }: LayoutProps) {
  const current = `/${path.split("/")[1] ?? ""}`;
  const switchTo = (event: Event) => {
    rememberOrganization((event.currentTarget as HTMLSelectElement).value);
    // A printer or job of one organization is not in the other: back to the list.
    navigate(`${BASE}${path.replace(/^\/(printers|jobs)\/.*$/, "/$1")}`);
  };
  return (
    <div class="app">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={`${BASE}/printers`}>
          apf
        </a>
        <div class="org">
          <label for="org-switcher">Organization</label>
          <select id="org-switcher" name="organization" value={orgId} onChange={switchTo}>
            {me.memberships.map((m) => (
              <option key={m.organization.id} value={m.organization.id}>
                {`${m.organization.name} (${m.role})`}
              </option>
            ))}
          </select>
        </div>
        <span class="who">{me.user.email}</span>
        <button type="button" class="link" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav class="side" aria-label="Dashboard">
        <ul>
          {NAV.filter((n) => !n.managers || canManage).map((n) => (
            <li key={n.path}>
              <a href={`${BASE}${n.path}`} aria-current={n.path === current ? "page" : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
