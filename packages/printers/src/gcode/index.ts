export {
  DEFAULT_INSPECTOR_LIMITS,
  type GcodeInspection,
  GcodeInspector,
  type InspectorLimits,
  inspectGcode,
  type Thumbnail,
} from "./inspector.ts";
export type { GcodeMetadata } from "./metadata.ts";
