import { randomUUID } from "node:crypto";
import { PRINTABLE_EXTENSIONS } from "@apf/domain";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { storageKeyOf } from "./keys.ts";
import { signToken } from "./signed-token.ts";

/** How long an upload token (and the uploaded bytes, until made a print file) stays valid. */
export const UPLOAD_TTL_S = 3600;

/** What an upload token says: organization, issuer (key or user), file, storage key, name, type. */
export interface UploadClaims {
  o: string;
  i: string;
  f: string;
  s: string;
  n: string;
  c: string | null;
}

export function isUploadClaims(value: unknown): value is UploadClaims {
  const v = value as Partial<UploadClaims> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.o === "string" &&
    typeof v.i === "string" &&
    typeof v.f === "string" &&
    typeof v.s === "string" &&
    typeof v.n === "string" &&
    (v.c === null || typeof v.c === "string")
  );
}

/** The printable extension of `filename` (lowercase, with its dot), or null. */
export function printableExtension(filename: string): string | null {
  const lower = filename.toLowerCase();
  return (
    PRINTABLE_EXTENSIONS.find((ext) => lower.endsWith(ext) && lower.length > ext.length) ?? null
  );
}

export interface PreparedUpload {
  fileId: string;
  filename: string;
  uploadToken: string;
  storageKey: string;
  contentType: string;
  expiresIn: number;
}

/**
 * Step 1 of an upload: a new file id, its storage key and a signed token for them, bound to the
 * organization and to who asked (`issuer`: `key:<id>` or `user:<id>`). Throws
 * UNSUPPORTED_FILE_TYPE for a file OctoPrint would not print.
 */
export function prepareUpload(
  services: Pick<Services, "clock" | "uploadSecret">,
  request: { organizationId: string; issuer: string; filename: string; contentType?: string },
): PreparedUpload {
  const extension = printableExtension(request.filename);
  if (!extension) {
    throw new DomainError(
      "UNSUPPORTED_FILE_TYPE",
      `"${request.filename}" is not a printable file: the accepted extensions are ${PRINTABLE_EXTENSIONS.join(", ")} (G-code).`,
    );
  }
  const fileId = randomUUID();
  const storageKey = storageKeyOf(request.organizationId, fileId, extension);
  const contentType = request.contentType ?? "application/octet-stream";
  const expiresAt = new Date(services.clock.now().getTime() + UPLOAD_TTL_S * 1000);
  const claims: UploadClaims = {
    o: request.organizationId,
    i: request.issuer,
    f: fileId,
    s: storageKey,
    n: request.filename,
    c: request.contentType ?? null,
  };
  return {
    fileId,
    filename: request.filename,
    uploadToken: signToken(services.uploadSecret, "upload", claims, expiresAt),
    storageKey,
    contentType,
    expiresIn: UPLOAD_TTL_S,
  };
}
