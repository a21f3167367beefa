import { createHash } from "node:crypto";
import { pipeline, Readable, Transform } from "node:stream";
import type { SlicerMetadata } from "@apf/db";
import { getPrintFile, upsertFileUpload } from "@apf/db/queries/print-files";
import { GcodeInspector } from "@apf/printers";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { thumbnailKeyOf } from "./keys.ts";
import { isUploadClaims, type UploadClaims } from "./prepare-upload.ts";
import { verifyToken } from "./signed-token.ts";

type UploadServices = Pick<Services, "db" | "clock" | "fileStore" | "uploadSecret" | "config">;

class TooLarge extends Error {}
class Empty extends Error {}

/** The bytes of one upload request, as the route found them. */
export interface UploadBody {
  /** The body as a stream; read once. */
  stream: () => Readable;
  /** Content-Length, when the request declared one. */
  declaredLength: number | null;
  /** True for Transfer-Encoding: chunked. */
  chunked: boolean;
}

/** Checks an upload token for `organizationId` and `issuer`; throws the answer it deserves. */
export function checkUploadToken(
  services: Pick<Services, "clock" | "uploadSecret">,
  token: string,
  caller: { organizationId: string; issuer: string },
): UploadClaims {
  const check = verifyToken(
    services.uploadSecret,
    "upload",
    token,
    services.clock.now(),
    isUploadClaims,
  );
  if (check.kind === "invalid") {
    throw new DomainError(
      "INVALID_TOKEN",
      "The upload token is not valid: use the upload_url exactly as POST /files/upload-url returned it.",
    );
  }
  if (check.claims.o !== caller.organizationId) {
    throw new DomainError("FORBIDDEN", "This upload token belongs to another organization.");
  }
  if (check.claims.i !== caller.issuer) {
    throw new DomainError(
      "FORBIDDEN",
      "This upload token was issued to another API key or member; upload with the credential that asked for it.",
    );
  }
  if (check.kind === "expired") {
    throw new DomainError(
      "TOKEN_EXPIRED",
      "The upload token has expired (it is valid for 1 hour); ask for a new one with POST /files/upload-url.",
    );
  }
  return check.claims;
}

/**
 * Step 2 of an upload: streams the body into the file store under the token's storage key while
 * hashing it (SHA-256) and reading its slicer comments, in constant memory. A body past
 * APF_MAX_FILE_MB is cut off as soon as it passes the limit and nothing is stored (an earlier
 * upload of the same token stays as it was). Records the upload for step 3.
 */
export async function receiveUpload(
  services: UploadServices,
  caller: { organizationId: string; issuer: string },
  token: string,
  body: UploadBody,
): Promise<{ sizeBytes: number; sha256: string }> {
  const claims = checkUploadToken(services, token, caller);
  const maxMb = services.config.APF_MAX_FILE_MB;
  const maxBytes = maxMb * 1024 * 1024;
  const tooLarge = () =>
    new DomainError(
      "FILE_TOO_LARGE",
      `The file is larger than the ${maxMb} MB this server accepts (APF_MAX_FILE_MB).`,
    );
  const noContent = () =>
    new DomainError("NO_CONTENT", "The request body is empty: send the file's bytes.");
  if (!body.chunked && body.declaredLength === null) {
    throw new DomainError(
      "LENGTH_REQUIRED",
      "Send the file with a Content-Length header (or chunked transfer encoding).",
    );
  }
  if (body.declaredLength !== null && body.declaredLength > maxBytes) throw tooLarge();
  if (!body.chunked && body.declaredLength === 0) throw noContent();
  if (await getPrintFile(services.db, claims.o, claims.f)) {
    throw new DomainError(
      "CONFLICT",
      "This upload was already made a print file; ask for a new upload URL to upload another file.",
    );
  }

  const hash = createHash("sha256");
  const inspector = new GcodeInspector();
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new TooLarge());
      hash.update(chunk);
      inspector.push(chunk);
      done(null, chunk);
    },
    flush(done) {
      done(size === 0 ? new Empty() : null);
    },
  });
  const source = body.stream();
  // pipeline() listens for errors on both streams from now on (the store may start reading
  // later), and destroys the source when the meter fails, so the rest of the body is not read.
  const metered = pipeline(source, meter, () => {});
  try {
    await services.fileStore.put(claims.s, metered, {
      contentType: claims.c ?? "application/octet-stream",
    });
  } catch (error) {
    // Stop reading whatever the client still sends; the answer closes the connection.
    source.destroy();
    if (error instanceof TooLarge || meter.errored instanceof TooLarge) throw tooLarge();
    if (error instanceof Empty || meter.errored instanceof Empty) throw noContent();
    if (source.errored || (source as { aborted?: boolean }).aborted) {
      throw new DomainError("INVALID_REQUEST", "The upload ended before the whole body arrived.");
    }
    throw error;
  }

  const inspection = inspector.finish();
  const metadata: SlicerMetadata = inspection.metadata;
  const thumbnailKey = inspection.thumbnail ? thumbnailKeyOf(claims.o, claims.f) : null;
  if (inspection.thumbnail && thumbnailKey) {
    await services.fileStore.put(thumbnailKey, Readable.from([inspection.thumbnail.png]), {
      contentType: "image/png",
    });
  } else {
    // A repeat upload without a thumbnail must not keep the previous one's.
    await services.fileStore.delete(thumbnailKeyOf(claims.o, claims.f));
  }
  const sha256 = hash.digest("hex");
  const now = services.clock.now();
  await upsertFileUpload(services.db, {
    storageKey: claims.s,
    organizationId: claims.o,
    fileId: claims.f,
    filename: claims.n,
    contentType: claims.c,
    sizeBytes: size,
    sha256,
    metadata,
    thumbnailKey,
    uploadedAt: now,
    expiresAt: new Date(now.getTime() + 3600 * 1000),
  });
  return { sizeBytes: size, sha256 };
}
