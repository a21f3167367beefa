export * from "./control-rules.ts";
export * from "./failure-reason.ts";
export * from "./printer-view.ts";
export * from "./shown-percent.ts";
export * from "./vocabulary.ts";
