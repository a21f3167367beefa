import type { Readable } from "node:stream";
import { getPrintFile, type PrintFileRow } from "@apf/db/queries/print-files";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { signToken, verifyToken } from "./signed-token.ts";

/** How long a download link handed to an agent stays valid. */
export const DOWNLOAD_TTL_S = 3600;

interface DownloadClaims {
  o: string;
  f: string;
}

function isDownloadClaims(value: unknown): value is DownloadClaims {
  const v = value as Partial<DownloadClaims> | null;
  return typeof v === "object" && v !== null && typeof v.o === "string" && typeof v.f === "string";
}

/**
 * A signed link (relative to the API's origin) from which an agent of `organizationId` may
 * fetch the print file's bytes for the next hour: `/agent/v1/files/<token>`. The queue puts it in
 * a `print` command.
 */
export function mintDownloadLink(
  services: Pick<Services, "clock" | "uploadSecret">,
  organizationId: string,
  printFileId: string,
): string {
  const expiresAt = new Date(services.clock.now().getTime() + DOWNLOAD_TTL_S * 1000);
  const claims: DownloadClaims = { o: organizationId, f: printFileId };
  return `/agent/v1/files/${signToken(services.uploadSecret, "download", claims, expiresAt)}`;
}

/**
 * The print file a download link names, and its bytes, for an agent of `organizationId`. A link
 * of another organization reads NOT_FOUND, as an unknown file does.
 */
export async function openDownload(
  services: Pick<Services, "db" | "clock" | "uploadSecret" | "fileStore">,
  organizationId: string,
  token: string,
): Promise<{ file: PrintFileRow; body: Readable; sizeBytes: number }> {
  const check = verifyToken(
    services.uploadSecret,
    "download",
    token,
    services.clock.now(),
    isDownloadClaims,
  );
  if (check.kind === "invalid") {
    throw new DomainError("INVALID_TOKEN", "The download link is not valid.");
  }
  if (check.claims.o !== organizationId) throw new DomainError("NOT_FOUND", "No such print file.");
  if (check.kind === "expired") {
    throw new DomainError(
      "TOKEN_EXPIRED",
      "The download link has expired (it is valid for 1 hour); the next print command carries a new one.",
    );
  }
  const file = await getPrintFile(services.db, organizationId, check.claims.f);
  const stored = file ? await services.fileStore.get(file.storageKey) : null;
  if (!file || !stored) throw new DomainError("NOT_FOUND", "No such print file.");
  return { file, ...stored };
}
