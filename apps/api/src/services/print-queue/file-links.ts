import type { Logger } from "pino";
import type { PrintFileLinks } from "./transfer.ts";

/**
 * Until the files capability is wired in (it mints `/agent/v1/files/<token>` for an
 * organization's print file), print commands carry a link that answers 404: the agent reports
 * the download as failed and the job goes back to the queue with that error.
 */
export function unwiredPrintFileLinks(logger: Logger): PrintFileLinks {
  let warned = false;
  return {
    downloadUrl(_organizationId, printFileId) {
      if (!warned) {
        logger.warn("print file downloads are not wired to the file store yet");
        warned = true;
      }
      return `/agent/v1/files/unavailable-${printFileId}`;
    },
  };
}
