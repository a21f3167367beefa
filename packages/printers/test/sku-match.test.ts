import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchSku, printFileKey } from "../src/sku-match.ts";

const sku = (id: string, printFileName: string | null, unitsPerPrint = 1) => ({
  id,
  printFileName,
  unitsPerPrint,
});

describe("printFileKey", () => {
  it.each([
    ["whistle_v2.gcode", "whistle_v2"],
    ["folderA/Whistle_V2.GCODE", "whistle_v2"],
    ["C:\\prints\\cube.gco", "cube"],
    ["cube.g", "cube"],
    ["cube.bgcode", "cube"],
    ["cube.ufp", "cube"],
    ["  cube.gcode  ", "cube"],
    ["cube.stl", "cube.stl"],
    ["cube.gcode.gcode", "cube.gcode"],
    [".gcode", ".gcode"],
  ])("%j → %j", (name, key) => {
    expect(printFileKey(name)).toBe(key);
  });
});

describe("matchSku", () => {
  const skus = [
    sku("a", "whistle_v2.gcode", 4),
    sku("b", "Cube.gcode"),
    sku("c", null),
    sku("d", "parts/bracket.bgcode"),
  ];

  it("matches the exact print file name", () => {
    expect(matchSku("whistle_v2.gcode", skus)?.id).toBe("a");
  });

  it("matches case-insensitively, ignoring folders and extensions", () => {
    expect(matchSku("folderA/WHISTLE_V2.gco", skus)?.id).toBe("a");
    expect(matchSku("cube", skus)?.id).toBe("b");
    expect(matchSku("bracket.gcode", skus)?.id).toBe("d");
  });

  it("returns the SKU itself, with its units per print", () => {
    expect(matchSku("whistle_v2.gcode", skus)).toEqual(sku("a", "whistle_v2.gcode", 4));
  });

  it("returns null when nothing matches or the name is empty", () => {
    expect(matchSku("other.gcode", skus)).toBeNull();
    expect(matchSku(null, skus)).toBeNull();
    expect(matchSku("  ", skus)).toBeNull();
    expect(matchSku("cube.gcode", [])).toBeNull();
  });

  it("never matches a SKU without a print file", () => {
    expect(matchSku("", [sku("c", null), sku("e", "")])).toBeNull();
  });

  it("prefers a single exact match over loose ones", () => {
    const list = [sku("x", "Cube.gcode"), sku("y", "cube.gcode")];
    expect(matchSku("cube.gcode", list)?.id).toBe("y");
  });

  it("returns null when the loose match is ambiguous", () => {
    const list = [sku("x", "a/cube.gcode"), sku("y", "b/CUBE.gco")];
    expect(matchSku("cube.gcode", list)).toBeNull();
  });

  it("returns null when two SKUs share the exact file name", () => {
    const list = [sku("x", "cube.gcode"), sku("y", "cube.gcode")];
    expect(matchSku("cube.gcode", list)).toBeNull();
  });

  it("always finds a SKU by its own print file name when names are distinct", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 8 }),
        (names) => {
          const list = names.map((n, i) => sku(String(i), `${n}.gcode`));
          list.forEach((s) => {
            expect(matchSku(s.printFileName, list)).toBe(s);
            expect(matchSku(`folder/${s.printFileName?.toUpperCase()}`, list)).toBe(s);
          });
        },
      ),
    );
  });
});
