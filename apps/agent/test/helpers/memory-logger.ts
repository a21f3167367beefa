import type { Logger } from "pino";
import { createLogger, type Redactor } from "../../src/logger.ts";

/** A pino logger (the agent's own, with redaction) that keeps its JSON lines for assertions. */
export function memoryLogger(redactor?: Redactor): {
  logger: Logger;
  lines: Record<string, unknown>[];
  raw: string[];
} {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write(text: string) {
      raw.push(text);
      lines.push(JSON.parse(text) as Record<string, unknown>);
    },
  };
  const logger = createLogger({ level: "debug", destination, ...(redactor ? { redactor } : {}) });
  return { logger, lines, raw };
}
