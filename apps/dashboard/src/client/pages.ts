import type { FunctionComponent } from "preact";
import type { Me, Role } from "./api/types.ts";
import { AccountPage } from "./pages/account-page.tsx";
import { AgentsPage } from "./pages/agents/agents-page.tsx";
import { AnalyticsPage } from "./pages/analytics/analytics-page.tsx";
import { AuditPage } from "./pages/audit-page.tsx";
import { BoardPage } from "./pages/board/board-page.tsx";
import { FilamentPage } from "./pages/filament-page.tsx";
import { FilesPage } from "./pages/files/files-page.tsx";
import { InventoryPage } from "./pages/inventory/inventory-page.tsx";
import { JobsPage } from "./pages/jobs/jobs-page.tsx";
import { JoinPage } from "./pages/join.tsx";
import { KeysPage } from "./pages/keys/keys-page.tsx";
import { MembersPage } from "./pages/members/members-page.tsx";
import { PrinterPage } from "./pages/printer-page.tsx";
import { QueuePage } from "./pages/queue/queue-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { SignUpPage } from "./pages/sign-up.tsx";
import { WebhooksPage } from "./pages/webhooks/webhooks-page.tsx";
import { WorklistPage } from "./pages/worklist/worklist-page.tsx";

/** What a page of a signed-in user gets. */
export interface OrgPageProps {
  me: Me;
  org: { id: string; name: string };
  role: Role;
  /** Owners and admins manage keys, agents, members and settings; members read. */
  canManage: boolean;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Loads /api/me again and redraws (after a change of name or membership). */
  reload(): Promise<void>;
}

/** What a page before sign-in gets. */
export interface OpenPageProps {
  query: URLSearchParams;
  hash: URLSearchParams;
}

/** A page: a Preact component. */
type Page<P> = { component: FunctionComponent<P> };

export const OPEN_PAGES: Record<string, Page<OpenPageProps>> = {
  "/sign-in": { component: SignInPage },
  "/sign-up": { component: SignUpPage },
  "/join": { component: JoinPage },
};

/** One URL per page under /dashboard; groups name the path's parameters. */
export const ORG_PAGES: [RegExp, Page<OrgPageProps>][] = [
  [/^\/printers$/, { component: BoardPage }],
  [/^\/printers\/(?<printerId>[^/]+)$/, { component: PrinterPage }],
  [/^\/queue$/, { component: QueuePage }],
  [/^\/files$/, { component: FilesPage }],
  [/^\/jobs$/, { component: JobsPage }],
  [/^\/worklist$/, { component: WorklistPage }],
  [/^\/inventory$/, { component: InventoryPage }],
  [/^\/filament$/, { component: FilamentPage }],
  [/^\/analytics$/, { component: AnalyticsPage }],
  [/^\/webhooks$/, { component: WebhooksPage }],
  [/^\/keys$/, { component: KeysPage }],
  [/^\/agents$/, { component: AgentsPage }],
  [/^\/members$/, { component: MembersPage }],
  [/^\/settings$/, { component: SettingsPage }],
  [/^\/audit$/, { component: AuditPage }],
  [/^\/account$/, { component: AccountPage }],
];
