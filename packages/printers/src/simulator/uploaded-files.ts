import { createHash } from "node:crypto";
import { slicerPrintSeconds } from "./print-time.ts";

/** A file uploaded to a simulated host, kept in memory as OctoPrint keeps it on disk. */
export interface UploadedFile {
  /** Name without folder, e.g. `bracket-0a1b2c3d.gcode`. */
  name: string;
  /** Path in OctoPrint's local storage, e.g. `apf/bracket-0a1b2c3d.gcode`. */
  path: string;
  size: number;
  /** Upload time, epoch seconds. */
  date: number;
  /** SHA-1 of the bytes, as OctoPrint's `hash`. */
  hash: string;
  /** Printing time the slicer estimated, seconds; null when the file says nothing. */
  estimatedPrintS: number | null;
  bytes: Buffer;
}

/** Bounds of a host's upload storage: the oldest files go first, never the one selected. */
export interface UploadLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFiles: 100, maxBytes: 64 * 1024 * 1024 };

// Slicers write their summary at the start (Cura) or the end (PrusaSlicer): read both windows.
const COMMENT_WINDOW = 256 * 1024;

/** Reads the slicer's estimate from the head and the tail of a G-code file. */
export function estimateOf(bytes: Buffer): number | null {
  const head = bytes.subarray(0, COMMENT_WINDOW).toString("utf8");
  const tail =
    bytes.length > COMMENT_WINDOW
      ? bytes.subarray(bytes.length - COMMENT_WINDOW).toString("utf8")
      : "";
  return slicerPrintSeconds(head) ?? slicerPrintSeconds(tail);
}

/** The files of one simulated host's local storage, bounded by count and total bytes. */
export class UploadedFiles {
  private readonly files = new Map<string, UploadedFile>();
  private bytes = 0;

  constructor(private readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS) {}

  /** Stores (or overwrites) `path`; evicts the oldest files except `keep` to stay in bounds. */
  put(path: string, bytes: Buffer, at: number, keep: string | null): UploadedFile {
    this.remove(path);
    const name = path.split("/").pop() ?? path;
    const file: UploadedFile = {
      name,
      path,
      size: bytes.length,
      date: Math.floor(at / 1000),
      hash: createHash("sha1").update(bytes).digest("hex"),
      estimatedPrintS: estimateOf(bytes),
      bytes,
    };
    this.files.set(path, file);
    this.bytes += bytes.length;
    for (const old of [...this.files.values()]) {
      if (this.files.size <= this.limits.maxFiles && this.bytes <= this.limits.maxBytes) break;
      if (old.path !== path && old.path !== keep) this.remove(old.path);
    }
    return file;
  }

  get(path: string): UploadedFile | undefined {
    return this.files.get(path);
  }

  list(): UploadedFile[] {
    return [...this.files.values()];
  }

  private remove(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.files.delete(path);
    this.bytes -= old.size;
  }
}
