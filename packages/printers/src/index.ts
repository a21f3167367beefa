// Everything of @apf/printers except the simulator, which is `@apf/printers/simulator`.

export * from "./gcode/index.ts";
export * from "./job-lifecycle.ts";
export * from "./normalize.ts";
export * from "./octoprint/schemas.ts";
export * from "./printer-status.ts";
export { acceptedAsIs, plainJsonText } from "./report-fast-path.ts";
export * from "./report-schema.ts";
export * from "./sku-match.ts";
export { replaceLoneSurrogates } from "./well-formed-text.ts";
