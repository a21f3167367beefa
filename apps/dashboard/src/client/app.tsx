import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, data } from "./api/client.ts";
import { ApiFailure } from "./api/failure.ts";
import type { Me, Role } from "./api/types.ts";
import { BASE, rememberedOrganization, session } from "./context.ts";
import { Layout } from "./layout.tsx";
import { OPEN_PAGES, type OpenPageProps, ORG_PAGES, type OrgPageProps } from "./pages.ts";
import { navigate, type Place, place } from "./router.ts";
import { Failure } from "./ui/failure.tsx";

type View =
  | { kind: "loading" }
  | { kind: "failed"; error: unknown }
  | { kind: "open"; place: Place; page: (typeof OPEN_PAGES)[string] }
  | { kind: "no-organization" }
  | {
      kind: "org";
      place: Place;
      props: OrgPageProps;
      page: (typeof ORG_PAGES)[number][1] | null;
    };

async function loadMe(): Promise<Me | null> {
  if (session.me) return session.me;
  try {
    session.me = (await data(api.GET("/me"))).data;
    return session.me;
  } catch (error) {
    if (error instanceof ApiFailure && error.signedOut) return null;
    throw error;
  }
}

/** What the place shows: an open page, or a signed-in page with the user's organization. */
async function resolve(at: Place): Promise<View | null> {
  const open = OPEN_PAGES[at.path];
  if (open) return { kind: "open", place: at, page: open };
  const me = await loadMe();
  if (!me) {
    const next = at.path === "/" ? "" : `?next=${encodeURIComponent(location.pathname)}`;
    navigate(`${BASE}/sign-in${next}`, true);
    return null;
  }
  if (at.path === "/") {
    navigate(`${BASE}/printers`, true);
    return null;
  }
  const membership =
    me.memberships.find((m) => m.organization.id === rememberedOrganization()) ?? me.memberships[0];
  if (!membership) return { kind: "no-organization" };
  const match = ORG_PAGES.map(([re, page]) => [re.exec(at.path), page] as const).find(([m]) => m);
  const role: Role = membership.role;
  return {
    kind: "org",
    place: at,
    page: match?.[1] ?? null,
    props: {
      me,
      org: membership.organization,
      role,
      canManage: role === "owner" || role === "admin",
      params: { ...(match?.[0]?.groups ?? {}) },
      query: at.query,
      reload: async () => {
        session.me = null;
        place.value = { ...place.value, pushed: false };
      },
    },
  };
}

/** Names the tab after the page's heading and, after a click, moves focus to the page. */
function settle(pushed: boolean): void {
  const main = document.getElementById("main");
  const heading = main?.querySelector("h1");
  document.title = heading ? `${heading.textContent} · apf` : "apf dashboard";
  if (pushed) main?.focus();
}

function PageBody(props: { view: Extract<View, { kind: "org" }> }) {
  const { view } = props;
  useEffect(() => {
    settle(view.place.pushed);
  }, []);
  if (!view.page) {
    return (
      <>
        <h1>Not found</h1>
        <p>No such page of the dashboard.</p>
      </>
    );
  }
  const Page = view.page.component as FunctionComponent<OrgPageProps>;
  return <Page {...view.props} />;
}

function OpenBody(props: { view: Extract<View, { kind: "open" }> }) {
  const { view } = props;
  const ctx: OpenPageProps = { query: view.place.query, hash: view.place.hash };
  useEffect(() => {
    settle(view.place.pushed);
  }, []);
  const Page = view.page.component;
  return <Page {...ctx} />;
}

/** The whole dashboard: resolves the place to a view, then draws it. */
export function App() {
  const at = place.value;
  const [view, setView] = useState<View>({ kind: "loading" });
  useEffect(() => {
    let live = true;
    resolve(at).then(
      (next) => live && next && setView(next),
      (error: unknown) => live && setView({ kind: "failed", error }),
    );
    return () => {
      live = false;
    };
  }, [at]);

  const key = (p: Place) => `${p.path}?${p.query}`;
  switch (view.kind) {
    case "loading":
      return <p class="loading">Loading the dashboard…</p>;
    case "failed":
      return (
        <main id="main" class="narrow" tabIndex={-1}>
          <Failure error={view.error} />
        </main>
      );
    case "open":
      return (
        <main id="main" class="narrow" tabIndex={-1}>
          <OpenBody key={key(view.place)} view={view} />
        </main>
      );
    case "no-organization":
      return (
        <main id="main" class="narrow">
          <h1>No organization</h1>
          <p>
            You are not a member of any organization. Ask an owner for an invitation link, or{" "}
            <a href={`${BASE}/sign-up`}>sign up</a> with a new organization.
          </p>
        </main>
      );
    case "org":
      return (
        <Layout
          me={view.props.me}
          orgId={view.props.org.id}
          canManage={view.props.canManage}
          path={view.place.path}
        >
          {/* A page follows its query itself: a new query does not draw it again. */}
          <PageBody
            key={`${view.props.org.id} ${view.page ? view.place.path : key(view.place)}`}
            view={view}
          />
        </Layout>
      );
  }
}
