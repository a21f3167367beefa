export * from "./accounts.ts";
export * from "./agents.ts";
export * from "./api-keys.ts";
