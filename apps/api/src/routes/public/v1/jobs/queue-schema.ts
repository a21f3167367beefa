// The print queue's request and answer shapes, shared by /public/v1/jobs… and /api/orgs/{orgId}/jobs….
import type { Queryable } from "@apf/db";
import { findPublicJob } from "@apf/db/queries/public-jobs";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { PublicEnv } from "../../../../context.ts";
import { ApiError, type ErrorCode } from "../../../../errors.ts";
import type {
  EnqueueInput,
  JobEdit,
  QueueActor,
} from "../../../../modules/print-queue/operations.ts";
import { AUTHENTICATED_HEADERS } from "../../../../openapi/components.ts";
import { anyErrorSchema, isUuid, nonEmptyPatch, text } from "../../../../openapi/kit.ts";
import { toPublicJob } from "./schema.ts";

const PRIORITY = "must be a whole number from 0 to 255";
const UNITS = "must be a whole number from 1 to 10000";
const PLACE = 'must be "top", "bottom" or a whole number from 1 (the first place)';

const priority = z
  .int(PRIORITY)
  .min(0, PRIORITY)
  .max(255, PRIORITY)
  .openapi({ description: "0–255, higher first; default 50." });

/** `POST /jobs` */
export const EnqueueBodySchema = z
  .object({
    print_file_id: z.string().max(100).openapi({ description: "The print file to print." }),
    printer_id: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: "Only this printer may take it; omit for any fitting printer." }),
    product_sku_id: z.string().max(100).optional(),
    color: text(50).optional(),
    filament_type: text(50).optional(),
    material_type: text(50).optional(),
    number_of_units: z
      .int(UNITS)
      .min(1, UNITS)
      .max(10_000, UNITS)
      .optional()
      .openapi({ description: "Units the print makes; default: the print file's." }),
    priority: priority.optional(),
  })
  .strict()
  .openapi("JobCreate");

/** `PATCH /jobs/{id}` */
export const JobEditSchema = nonEmptyPatch(
  z
    .object({
      priority: priority.optional(),
      printer_id: z
        .string()
        .max(100)
        .nullable()
        .optional()
        .openapi({ description: "Only this printer may take it; null: any fitting printer." }),
      position: z
        .union([z.enum(["top", "bottom"]), z.int(PLACE).min(1, PLACE)], { error: PLACE })
        .optional()
        .openapi({
          description:
            '"top", "bottom" or a 1-based place among the queued jobs. Priority comes first: the place orders the job among jobs of its priority.',
        }),
    })
    .strict(),
).openapi("JobEdit");

/** A started job (200 once the agent took the print command, 202 while not yet). */
export const StartAnswerSchema = z
  .object({
    job_id: z.string(),
    printer_id: z.string(),
    command_id: z.string().openapi({ description: "Follow it with GET /public/v1/commands/{id}." }),
    status: z.literal("processing"),
  })
  .openapi("JobStart");

/** A cancel of a printing job: the printer was told to stop; the job is cancelled when it has. */
export const CancelStoppingSchema = z
  .object({
    job_id: z.string(),
    status: z.literal("stopping"),
    printer_id: z.string(),
    command_id: z.string().openapi({ description: "The printer's `stop` command." }),
  })
  .openapi("JobStopping");

/** `{id, deleted: true}` */
export const DeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

/** An error response naming the codes it may carry (besides the shared ones). */
export function queueError(codes: readonly ErrorCode[], description: string) {
  return {
    description: `${codes.join(", ")}: ${description}`,
    headers: AUTHENTICATED_HEADERS,
    content: { "application/json": { schema: anyErrorSchema } },
  };
}

/** The body of POST /jobs as the operation takes it; a malformed id is the missing thing's 404. */
export function toEnqueueInput(body: z.infer<typeof EnqueueBodySchema>): EnqueueInput {
  const id = (value: string | undefined, code: ErrorCode, what: string) => {
    if (value !== undefined && !isUuid(value)) {
      throw new ApiError(code, `${what} ${JSON.stringify(value.slice(0, 40))} not found.`);
    }
    return value;
  };
  return {
    printFileId: id(body.print_file_id, "FILE_NOT_FOUND", "Print file") as string,
    printerId: id(body.printer_id, "PRINTER_NOT_FOUND", "Printer"),
    productSkuId: id(body.product_sku_id, "SKU_NOT_FOUND", "SKU"),
    color: body.color,
    filamentType: body.filament_type,
    materialType: body.material_type,
    numberOfUnits: body.number_of_units,
    priority: body.priority,
  };
}

/** The body of PATCH /jobs/{id} as the operation takes it. */
export function toJobEdit(body: z.infer<typeof JobEditSchema>): JobEdit {
  if (body.printer_id && !isUuid(body.printer_id)) {
    throw new ApiError("PRINTER_NOT_FOUND", "Printer not found.");
  }
  return { priority: body.priority, printerId: body.printer_id, position: body.position };
}

/** The calling key as the queue's actor. */
export function keyActor(c: Context<PublicEnv>): QueueActor {
  const apiKey = c.get("apiKey");
  return {
    organizationId: apiKey.organizationId,
    requester: { type: "api_key", id: apiKey.keyId },
    origin: c.get("actor"),
  };
}

/** The job id of a resource route: malformed reads as unknown (404 NOT_FOUND). */
export function jobIdOr404(id: string): string {
  if (!isUuid(id)) throw new ApiError("NOT_FOUND", "Job not found.");
  return id;
}

/** The job as it stands after a change, as GET /jobs/{id} shows it. */
export async function currentJob(db: Queryable, organizationId: string, jobId: string) {
  const row = await findPublicJob(db, organizationId, jobId);
  if (!row) throw new ApiError("NOT_FOUND", "Job not found.");
  return toPublicJob(row);
}
