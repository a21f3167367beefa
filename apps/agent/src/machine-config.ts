import { resolve } from "node:path";
import type { MachineConfig } from "@apf/agent-core/agent-config";
import { normalizeUrl, redactUrlCredentials } from "@apf/agent-core/machine-identity";
import {
  fileSecret,
  inlineSecret,
  isPrintableToken,
  SecretFileError,
  type SecretListener,
  type SecretProvider,
} from "@apf/agent-core/secret-provider";
import { machineEntrySchema, parseWith } from "./config-schema.ts";

/** The backend accepts machine ids and names up to this length. */
const MAX_IDENTITY_LENGTH = 200;

/** A problem in one entry, already phrased as `<entry>: <field>: <what>`. */
export class EntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EntryError";
  }
}

/** How messages name entry `index`: its custom_name, else its URL (without credentials). */
export function entryLabel(index: number, entry: unknown): string {
  const base = `machines[${index}]`;
  if (typeof entry !== "object" || entry === null) return base;
  const { custom_name: name, url } = entry as Record<string, unknown>;
  if (typeof name === "string" && name.trim() !== "")
    return `${base} (${JSON.stringify(name.trim())})`;
  if (typeof url === "string" && url.trim() !== "")
    return `${base} (${redactUrlCredentials(url.trim())})`;
  return base;
}

/**
 * True when an `authentication_file_path` value that names no file can be the key itself:
 * printable, no path separator, no leading dot and no file extension (`secret.txt` is a file).
 */
export function looksLikeInlineKey(value: string): boolean {
  return (
    isPrintableToken(value) &&
    !/[\\/]/.test(value) &&
    !/^\.|\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(value)
  );
}

async function resolveApiKey(
  entry: { authentication_file_path?: string | null; api_key?: string | null },
  configDir: string,
  label: string,
  onSecret?: SecretListener,
): Promise<SecretProvider> {
  const path = entry.authentication_file_path;
  if (path) {
    const file = resolve(configDir, path);
    try {
      return await fileSecret(file, onSecret);
    } catch (error) {
      if (!(error instanceof SecretFileError)) throw error;
      if (error.code === "ENOENT" && looksLikeInlineKey(path)) return inlineSecret(path, onSecret);
      throw new EntryError(`${label}: authentication_file_path: ${error.reason}`);
    }
  }
  if (entry.api_key) {
    if (!isPrintableToken(entry.api_key)) {
      throw new EntryError(`${label}: api_key: must be a single token without spaces`);
    }
    return inlineSecret(entry.api_key, onSecret);
  }
  throw new EntryError(`${label}: authentication_file_path: is required (or api_key)`);
}

/** Checks one `machines[]` entry and loads its OctoPrint key; throws {@link EntryError}. */
export async function parseMachineEntry(
  entry: unknown,
  index: number,
  configDir: string,
  onSecret?: SecretListener,
): Promise<MachineConfig> {
  const label = entryLabel(index, entry);
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new EntryError(`${label}: must be an object`);
  }
  const type = (entry as Record<string, unknown>).type;
  if (type === undefined) throw new EntryError(`${label}: type: is required`);
  if (type !== "OCTOPRINT") {
    const shown = typeof type === "string" ? JSON.stringify(type) : `a ${typeof type}`;
    throw new EntryError(`${label}: type: ${shown} is not supported (only "OCTOPRINT")`);
  }
  const parsed = parseWith(machineEntrySchema, entry);
  if (!parsed.ok) throw new EntryError(`${label}: ${parsed.field}: ${parsed.message}`);
  const data = parsed.data;
  const url = normalizeUrl(data.url);
  const apiKey = await resolveApiKey(data, configDir, label, onSecret);
  const id = data.custom_name ?? url;
  if (id.length > MAX_IDENTITY_LENGTH) {
    const field = data.custom_name ? "custom_name" : "url";
    const hint = data.custom_name ? "" : "; set a shorter custom_name";
    throw new EntryError(
      `${label}: ${field}: longer than ${MAX_IDENTITY_LENGTH} characters, too long for a machine identity${hint}`,
    );
  }
  return { id, name: id, type: "OCTOPRINT", url, baseUrl: data.url.trim(), apiKey, label };
}
