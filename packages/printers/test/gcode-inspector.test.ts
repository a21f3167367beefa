import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GcodeInspector, inspectGcode } from "../src/index.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures/gcode", name));

/** Feeds `bytes` in chunks of `size` (odd sizes cut lines and UTF-8 sequences anywhere). */
function inspectInChunks(bytes: Buffer, size: number, limits = {}) {
  const inspector = new GcodeInspector(limits);
  for (let i = 0; i < bytes.length; i += size) inspector.push(bytes.subarray(i, i + size));
  return inspector.finish();
}

describe("the G-code inspector", () => {
  it("reads PrusaSlicer's summary at the end and its largest PNG thumbnail at the start", () => {
    const { metadata, thumbnail } = inspectGcode(fixture("prusaslicer-mk4s.gcode"));
    expect(metadata).toEqual({
      slicer: "PrusaSlicer 2.7.1+linux-x64-GTK3",
      printTimeSeconds: 3723,
      filamentWeightGrams: 7,
      filamentLengthMeters: 2.3457,
      filamentType: "PETG",
      printerModel: "MK4S",
      nozzleDiameter: 0.4,
      layerCount: null,
      layerHeightMm: 0.15,
    });
    expect(thumbnail).toMatchObject({ width: 64, height: 48 });
    expect(thumbnail!.png.equals(fixture("thumb-64x48.png"))).toBe(true);
  });

  it("reads the same whatever the chunk boundaries", () => {
    const bytes = fixture("prusaslicer-mk4s.gcode");
    const whole = inspectGcode(bytes);
    for (const size of [1, 7, 333, 4096]) {
      expect(inspectInChunks(bytes, size)).toEqual(whole);
    }
  });

  it("reads the tail window of a file far larger than the head it reads line by line", () => {
    const text = fixture("prusaslicer-mk4s.gcode").toString("utf8");
    const cut = text.indexOf("M107\n");
    const filler = "G1 X10.5 Y20.5 E0.0123 ; moving\n".repeat(200_000); // ~6.4 MB
    const big = Buffer.from(text.slice(0, cut) + filler + text.slice(cut));
    const small = { headBytes: 64 * 1024, tailBytes: 16 * 1024 };
    const result = inspectInChunks(big, 65_536, small);
    expect(result.metadata.printTimeSeconds).toBe(3723);
    expect(result.metadata.printerModel).toBe("MK4S");
    expect(result.thumbnail?.width).toBe(64);
  });

  it("sums a two-tool file's filament and reads PLA;PLA as PLA, but no nozzle size when they differ", () => {
    const { metadata, thumbnail } = inspectGcode(fixture("prusaslicer-xl-two-tools.gcode"));
    expect(metadata).toMatchObject({
      slicer: "PrusaSlicer 2.8.0+win64",
      printTimeSeconds: 86460,
      filamentWeightGrams: 4.5,
      filamentLengthMeters: 1.5005,
      filamentType: "PLA",
      nozzleDiameter: null,
      printerModel: "XL2IS",
      layerHeightMm: 0.2,
    });
    // The thumbnail_PNG variant is read; the JPG block (larger) is not kept.
    expect(thumbnail).toMatchObject({ width: 32, height: 32 });
  });

  it("lists distinct filament types in extruder order, and one nozzle size when all agree", () => {
    const { metadata } = inspectGcode(fixture("prusaslicer-xl-pla-petg.gcode"));
    expect(metadata.filamentType).toBe("PLA;PETG");
    expect(metadata.nozzleDiameter).toBe(0.4);
  });

  it("reads Cura's header", () => {
    const { metadata, thumbnail } = inspectGcode(fixture("cura-ender3.gcode"));
    expect(metadata).toEqual({
      slicer: "Cura 5.4.0",
      printTimeSeconds: 6600,
      filamentWeightGrams: null,
      filamentLengthMeters: 1.23,
      filamentType: null,
      printerModel: "Creality Ender-3",
      nozzleDiameter: null,
      layerCount: 100,
      layerHeightMm: 0.2,
    });
    expect(thumbnail).toBeNull();
  });

  it("reads OrcaSlicer's header, summary and config", () => {
    const { metadata, thumbnail } = inspectGcode(fixture("orcaslicer-voron.gcode"));
    expect(metadata).toEqual({
      slicer: "OrcaSlicer 2.1.1",
      printTimeSeconds: 2730,
      filamentWeightGrams: 9.31,
      filamentLengthMeters: 3.1206,
      filamentType: "PLA",
      printerModel: "Voron 2.4 350",
      nozzleDiameter: 0.4,
      layerCount: 75,
      layerHeightMm: 0.2,
    });
    expect(thumbnail).toMatchObject({ width: 24, height: 24 });
  });

  it("reads Bambu Studio's header block", () => {
    const { metadata } = inspectGcode(fixture("bambustudio-p1s.gcode"));
    expect(metadata).toEqual({
      slicer: "BambuStudio 01.09.00.70",
      printTimeSeconds: 4229,
      filamentWeightGrams: 12.98,
      filamentLengthMeters: 4.321,
      filamentType: "PLA",
      printerModel: "Bambu Lab P1S",
      nozzleDiameter: 0.4,
      layerCount: 150,
      layerHeightMm: 0.2,
    });
  });

  it("answers null for everything a hand-written file does not say, and for values it cannot read", () => {
    const { metadata, thumbnail } = inspectGcode(fixture("hand-written.gcode"));
    expect(Object.values(metadata).every((v) => v === null)).toBe(true);
    expect(thumbnail).toBeNull();
  });

  it("drops a thumbnail larger than its bound and one that is not a PNG", () => {
    const bytes = fixture("prusaslicer-mk4s.gcode");
    expect(inspectGcode(bytes, { maxThumbnailBytes: 120 }).thumbnail?.width).toBe(16);
    expect(inspectGcode(bytes, { maxThumbnailBytes: 50 }).thumbnail).toBeNull();
    const fake = Buffer.from(
      `; thumbnail begin 8x8 12\n; ${Buffer.from("not a png").toString("base64")}\n; thumbnail end\n`,
    );
    expect(inspectGcode(fake).thumbnail).toBeNull();
  });

  it("reads an empty file and binary noise without failing", () => {
    expect(inspectGcode(Buffer.alloc(0)).metadata.slicer).toBeNull();
    const noise = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 131) % 256));
    expect(inspectGcode(noise).metadata.printTimeSeconds).toBeNull();
  });
});
