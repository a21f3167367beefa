import type { Services } from "../../context.ts";
import { mintDownloadLink } from "../files/download-link.ts";
import type { PrintFileLinks } from "./transfer.ts";

/** Print commands carry a signed, single-organization download link minted by the files capability. */
export function printFileLinks(services: Pick<Services, "clock" | "uploadSecret">): PrintFileLinks {
  return {
    downloadUrl: (organizationId, printFileId) =>
      mintDownloadLink(services, organizationId, printFileId),
  };
}
