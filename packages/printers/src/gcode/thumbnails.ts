/** An embedded preview image: PNG bytes and the size the slicer declared. */
export interface Thumbnail {
  width: number;
  height: number;
  png: Buffer;
}

const BEGIN = /^;\s*thumbnail(?:_([A-Za-z]+))?\s+begin\s+(\d+)x(\d+)\s+(\d+)/;
const END = /^;\s*thumbnail(?:_[A-Za-z]+)?\s+end\b/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Collects `; thumbnail begin WxH LEN` … `; thumbnail end` blocks (and `thumbnail_PNG`), keeping
 * the largest PNG no bigger than `maxBytes`. JPG and QOI blocks, blocks that grow past the bound
 * and blocks that do not decode to a PNG are dropped.
 */
export class ThumbnailCollector {
  private block: { width: number; height: number; parts: string[]; length: number } | null = null;
  private skipping = false;
  private best: Thumbnail | null = null;

  constructor(private readonly maxBytes: number) {}

  /** True while inside a thumbnail block. */
  get open(): boolean {
    return this.block !== null || this.skipping;
  }

  /** Takes a comment line; true when it belonged to a thumbnail block. */
  line(line: string): boolean {
    if (this.open) {
      if (END.test(line)) this.close();
      else if (this.block) {
        const data = line.replace(/^;\s*/, "");
        this.block.parts.push(data);
        this.block.length += data.length;
        if (this.block.length > this.maxBase64()) {
          this.block = null;
          this.skipping = true;
        }
      }
      return true;
    }
    const begin = BEGIN.exec(line);
    if (!begin) return false;
    const [, format, width, height, length] = begin;
    const png = format === undefined || format.toUpperCase() === "PNG";
    if (png && Number(length) <= this.maxBase64()) {
      this.block = { width: Number(width), height: Number(height), parts: [], length: 0 };
    } else {
      this.skipping = true;
    }
    return true;
  }

  largest(): Thumbnail | null {
    return this.best;
  }

  private maxBase64() {
    return Math.ceil(this.maxBytes / 3) * 4;
  }

  private close() {
    const block = this.block;
    this.block = null;
    this.skipping = false;
    if (!block) return;
    const png = Buffer.from(block.parts.join(""), "base64");
    if (png.length > this.maxBytes || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return;
    const area = block.width * block.height;
    if (!this.best || area > this.best.width * this.best.height) {
      this.best = { width: block.width, height: block.height, png };
    }
  }
}
