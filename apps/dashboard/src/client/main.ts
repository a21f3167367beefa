import { ApiFailure, get, SIGNED_OUT_EVENT } from "./api.ts";
import {
  BASE,
  type PageContext,
  type PublicContext,
  rememberedOrganization,
  session,
  setNavigator,
} from "./context.ts";
import { h, replace } from "./dom.ts";
import { layout } from "./layout.ts";
import { accountPage } from "./pages/account.ts";
import { agentsPage } from "./pages/agents.ts";
import { auditPage } from "./pages/audit.ts";
import { filamentPage } from "./pages/filament.ts";
import { inventoryPage } from "./pages/inventory.ts";
import { jobsPage } from "./pages/jobs.ts";
import { joinPage } from "./pages/join.ts";
import { keysPage } from "./pages/keys.ts";
import { membersPage } from "./pages/members.ts";
import { printerPage } from "./pages/printer.ts";
import { printersPage } from "./pages/printers.ts";
import { settingsPage } from "./pages/settings.ts";
import { signInPage } from "./pages/sign-in.ts";
import { signUpPage } from "./pages/sign-up.ts";
import type { Me } from "./types.ts";
import { failureNotice } from "./ui/notice.ts";

type OrgPage = (ctx: PageContext) => Promise<void> | void;
type OpenPage = (ctx: PublicContext) => Promise<void> | void;

const OPEN: Record<string, OpenPage> = {
  "/sign-in": signInPage,
  "/sign-up": signUpPage,
  "/join": joinPage,
};

const PAGES: [RegExp, OrgPage][] = [
  [/^\/printers$/, printersPage],
  [/^\/printers\/(?<printerId>[^/]+)$/, printerPage],
  [/^\/jobs$/, jobsPage],
  [/^\/inventory$/, inventoryPage],
  [/^\/filament$/, filamentPage],
  [/^\/keys$/, keysPage],
  [/^\/agents$/, agentsPage],
  [/^\/members$/, membersPage],
  [/^\/settings$/, settingsPage],
  [/^\/audit$/, auditPage],
  [/^\/account$/, accountPage],
];

const root = document.getElementById("app")!;
let leaving: (() => void)[] = [];

function leave() {
  for (const fn of leaving) fn();
  leaving = [];
}

async function loadMe(): Promise<Me | null> {
  if (session.me) return session.me;
  try {
    session.me = (await get<Me>("/me")).data;
    return session.me;
  } catch (error) {
    if (error instanceof ApiFailure && error.signedOut) return null;
    throw error;
  }
}

async function render(): Promise<void> {
  leave();
  const path = location.pathname.slice(BASE.length) || "/";
  const query = new URLSearchParams(location.search);
  const onLeave = (fn: () => void) => leaving.push(fn);

  const open = OPEN[path];
  if (open) {
    const main = h("main", { id: "main", class: "narrow", tabindex: "-1" });
    replace(root, main);
    await open({ main, query, hash: new URLSearchParams(location.hash.slice(1)), onLeave });
    return;
  }

  const me = await loadMe();
  if (!me) {
    const next = path === "/" ? "" : `?next=${encodeURIComponent(location.pathname)}`;
    go(`${BASE}/sign-in${next}`, true);
    return;
  }
  if (path === "/") {
    go(`${BASE}/printers`, true);
    return;
  }
  const match = PAGES.map(([re, page]) => [re.exec(path), page] as const).find(([m]) => m);
  const membership =
    me.memberships.find((m) => m.organization.id === rememberedOrganization()) ?? me.memberships[0];
  if (!membership) {
    const main = h("main", { id: "main", class: "narrow" });
    replace(root, main);
    replace(
      main,
      h("h1", null, "No organization"),
      h(
        "p",
        null,
        "You are not a member of any organization. Ask an owner for an invitation link, or ",
        h("a", { href: `${BASE}/sign-up` }, "sign up"),
        " with a new organization.",
      ),
    );
    return;
  }
  const canManage = membership.role === "owner" || membership.role === "admin";
  const { shell, main } = layout(me, membership.organization.id, canManage, path);
  replace(root, shell);
  if (!match) {
    replace(main, h("h1", null, "Not found"), h("p", null, "No such page of the dashboard."));
    return;
  }
  const ctx: PageContext = {
    me,
    org: membership.organization,
    role: membership.role,
    canManage,
    main,
    params: { ...(match[0]?.groups ?? {}) },
    query,
    orgPath: (p) => `/orgs/${membership.organization.id}${p}`,
    onLeave,
    reload: async () => {
      session.me = null;
      await render();
    },
  };
  try {
    await match[1](ctx);
  } catch (error) {
    if (error instanceof ApiFailure && error.signedOut) {
      session.me = null;
      go(`${BASE}/sign-in`, true);
      return;
    }
    main.append(failureNotice(error));
  }
}

function go(path: string, replaceState = false): void {
  if (replaceState) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  void render().then(() => {
    const main = document.getElementById("main");
    const heading = main?.querySelector("h1");
    document.title = heading ? `${heading.textContent} · apf` : "apf dashboard";
    if (!replaceState) main?.focus();
  });
}

setNavigator((path) => go(path));

// Links inside the dashboard change the screen without reloading the page.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element).closest?.("a");
  if (!link || link.target || !link.href) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  if (url.pathname === location.pathname && url.hash) return;
  event.preventDefault();
  go(url.pathname + url.search + url.hash);
});
window.addEventListener("popstate", () => void render());
window.addEventListener(SIGNED_OUT_EVENT, () => {
  if (!session.me) return;
  session.me = null;
  go(`${BASE}/sign-in?next=${encodeURIComponent(location.pathname)}`, true);
});

go(location.pathname + location.search + location.hash, true);
