import { readFile } from "node:fs/promises";

/** Outcome of re-reading a secret; `error` never holds the secret. */
export interface SecretReload {
  changed: boolean;
  error?: string;
}

/** A secret that may live in a file an operator can fix while the agent runs. */
export interface SecretProvider {
  /** The current value. */
  get(): string;
  /** Re-reads the file (no-op for inline secrets); a failed read keeps the old value. */
  reload(): Promise<SecretReload>;
  /** Absolute path of the file, or undefined for an inline secret. */
  readonly file: string | undefined;
}

/** Called with every secret value loaded, so the logger can scrub it. */
export type SecretListener = (value: string) => void;

/** A non-empty token with no whitespace or control characters (OctoPrint keys vary in shape). */
export function isPrintableToken(value: string): boolean {
  return /^[^\s\p{C}]+$/u.test(value);
}

/** Reading a secret file gave nothing usable; `reason` names the path and never the content. */
export class SecretFileError extends Error {
  constructor(
    readonly reason: string,
    readonly code: string | undefined,
  ) {
    super(reason);
    this.name = "SecretFileError";
  }
}

/** Reads and checks a secret file (surrounding whitespace and a final newline are ignored). */
export async function readSecretFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretFileError(`cannot read ${file}${code ? ` (${code})` : ""}`, code);
  }
  const value = text.trim();
  if (value === "") throw new SecretFileError(`${file} is empty`, undefined);
  if (!isPrintableToken(value)) {
    throw new SecretFileError(
      `${file} does not hold a single key (whitespace or control characters inside)`,
      undefined,
    );
  }
  return value;
}

/** A secret written in the config file itself; it cannot change while the agent runs. */
export function inlineSecret(value: string, onSecret?: SecretListener): SecretProvider {
  onSecret?.(value);
  return {
    get: () => value,
    reload: async () => ({ changed: false }),
    file: undefined,
  };
}

/** A secret read from `file` now (throws {@link SecretFileError}) and again on every reload. */
export async function fileSecret(file: string, onSecret?: SecretListener): Promise<SecretProvider> {
  let value = await readSecretFile(file);
  onSecret?.(value);
  return {
    get: () => value,
    async reload() {
      try {
        const next = await readSecretFile(file);
        if (next === value) return { changed: false };
        onSecret?.(next);
        value = next;
        return { changed: true };
      } catch (error) {
        return { changed: false, error: (error as Error).message };
      }
    },
    file,
  };
}
