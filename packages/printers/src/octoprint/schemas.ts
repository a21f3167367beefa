import { z } from "zod";

// Every schema here is loose: OctoPrint versions and plugins add fields, and an unknown field must
// never turn a healthy printer into a rejected report. Only what we read is typed.

const nullableNumber = z.number().nullable();

/** One heater's reading (`tool0`, `bed`, `chamber`…); `target` is null when no target is set. */
export const temperatureDataSchema = z.looseObject({
  actual: nullableNumber,
  target: nullableNumber.optional(),
  offset: nullableNumber.optional(),
});
export type TemperatureData = z.infer<typeof temperatureDataSchema>;

const HEATER_KEY = /^(tool\d+|bed|chamber)$/;

/** True for the keys of `temperature` that are heaters we report (`toolN`, `bed`, `chamber`). */
export function isHeaterKey(key: string): boolean {
  return HEATER_KEY.test(key);
}

/**
 * `temperature` of `GET /api/printer`: heaters by name plus an optional `history`. Heater entries
 * are validated wherever they appear (`tool7` too); other keys pass untouched.
 */
export const printerTemperatureSchema = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    for (const [key, entry] of Object.entries(value)) {
      if (!isHeaterKey(key)) continue;
      const parsed = temperatureDataSchema.safeParse(entry);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: "custom", message: issue.message, path: [key, ...issue.path] });
      }
    }
  });
export type PrinterTemperature = Record<string, unknown>;

/**
 * `state.flags`. OctoPrint 1.3 sends the documented nine; later versions add `resuming`,
 * `finishing` (and plugins may add more), so every flag is optional.
 */
export const printerStateFlagsSchema = z.looseObject({
  operational: z.boolean().optional(),
  printing: z.boolean().optional(),
  paused: z.boolean().optional(),
  pausing: z.boolean().optional(),
  cancelling: z.boolean().optional(),
  resuming: z.boolean().optional(),
  finishing: z.boolean().optional(),
  sdReady: z.boolean().optional(),
  error: z.boolean().optional(),
  ready: z.boolean().optional(),
  closedOrError: z.boolean().optional(),
});
export type PrinterStateFlags = z.infer<typeof printerStateFlagsSchema>;

/** Printer state: free `text` (never interpreted), `flags`, and newer versions' `error` text. */
export const printerStateSchema = z.looseObject({
  text: z.string(),
  flags: printerStateFlagsSchema,
  error: z.string().nullable().optional(),
});
export type PrinterState = z.infer<typeof printerStateSchema>;

/** Body of `GET /api/printer` (each part can be left out with `?exclude=`). */
export const printerResponseSchema = z.looseObject({
  temperature: printerTemperatureSchema.optional(),
  sd: z.looseObject({ ready: z.boolean().optional() }).optional(),
  state: printerStateSchema.optional(),
});
export type PrinterResponse = z.infer<typeof printerResponseSchema>;

/** Abridged file information of the current job; all null when no file is selected. */
export const jobFileSchema = z.looseObject({
  name: z.string().nullable().optional(),
  path: z.string().nullable().optional(),
  display: z.string().nullable().optional(),
  origin: z.string().nullable().optional(),
  size: nullableNumber.optional(),
  date: nullableNumber.optional(),
});

/** `progress` of `GET /api/job`: completion is a percentage 0–100, times are seconds. */
export const jobProgressSchema = z.looseObject({
  completion: nullableNumber.optional(),
  filepos: nullableNumber.optional(),
  printTime: nullableNumber.optional(),
  printTimeLeft: nullableNumber.optional(),
  printTimeLeftOrigin: z.string().nullable().optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/** Body of `GET /api/job`; `state` is a free text, `error` is set only after an error. */
export const jobResponseSchema = z.looseObject({
  job: z.looseObject({
    file: jobFileSchema.nullable().optional(),
    estimatedPrintTime: nullableNumber.optional(),
    averagePrintTime: nullableNumber.optional(),
    lastPrintTime: nullableNumber.optional(),
    // one object in 1.3, one per tool in later versions, null without analysis
    filament: z.unknown().optional(),
    user: z.string().nullable().optional(),
  }),
  progress: jobProgressSchema,
  state: z.string(),
  error: z.string().nullable().optional(),
});
export type JobResponse = z.infer<typeof jobResponseSchema>;

/** Body of `GET /api/version`. */
export const versionResponseSchema = z.looseObject({
  api: z.string(),
  server: z.string(),
  text: z.string().optional(),
});
export type VersionResponse = z.infer<typeof versionResponseSchema>;

/** Body of `GET /api/server` (OctoPrint 1.5+). */
export const serverResponseSchema = z.looseObject({
  server: z.string(),
  safe_mode: z.union([z.string(), z.boolean()]).nullable().optional(),
});
export type ServerResponse = z.infer<typeof serverResponseSchema>;

/** Body of `GET /api/connection`. */
export const connectionResponseSchema = z.looseObject({
  current: z.looseObject({
    state: z.string(),
    port: z.string().nullable().optional(),
    baudrate: nullableNumber.optional(),
    printerProfile: z.string().nullable().optional(),
  }),
  options: z.looseObject({}).optional(),
});
export type ConnectionResponse = z.infer<typeof connectionResponseSchema>;

/** Body of `POST /plugin/appkeys/request`. */
export const appKeysRequestBodySchema = z.looseObject({
  app: z.string().min(1),
  user: z.string().min(1).optional(),
});
export type AppKeysRequestBody = z.infer<typeof appKeysRequestBodySchema>;

/** 201 answer of `POST /plugin/appkeys/request` (`auth_dialog` since 1.8). */
export const appKeysAuthResponseSchema = z.looseObject({
  app_token: z.string().min(1),
  auth_dialog: z.string().optional(),
});
export type AppKeysAuthResponse = z.infer<typeof appKeysAuthResponseSchema>;

/** 200 answer of `GET /plugin/appkeys/request/<app_token>` once access is granted. */
export const appKeysKeyResponseSchema = z.looseObject({ api_key: z.string().min(1) });
export type AppKeysKeyResponse = z.infer<typeof appKeysKeyResponseSchema>;

/** Body of `POST /plugin/appkeys/decision/<user_token>`. */
export const appKeysDecisionRequestSchema = z.looseObject({ decision: z.boolean() });

/** Answer of `POST /api/plugin/appkeys {"command": "generate"}`. */
export const appKeysGenerateResponseSchema = z.looseObject({
  app_id: z.string(),
  user_id: z.string(),
  api_key: z.string().min(1),
});
export type AppKeysGenerateResponse = z.infer<typeof appKeysGenerateResponseSchema>;

/** Spool list of a filament plugin; its shape differs per plugin, so it is kept opaque. */
export const filamentListSchema = z.array(z.unknown());
