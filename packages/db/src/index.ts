export * from "./client.ts";
export * from "./errors.ts";
export type { ChannelHandlers, ChannelSubscription } from "./listen.ts";
export { describeMigrations, type MigrationReport } from "./migration-report.ts";
export * as schema from "./schema/index.ts";
export * from "./schema/index.ts";
