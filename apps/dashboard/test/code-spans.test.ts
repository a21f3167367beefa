import { SCOPE_REGISTRY, SCOPES } from "@apf/auth/scopes";
import { describe, expect, it } from "vitest";
import { splitCodeSpans } from "../src/client/ui/code-spans.ts";

describe("backtick spans in descriptions", () => {
  it("turns each `span` into code and keeps the text around it", () => {
    expect(splitCodeSpans("AutoPrintFarm's broad `read` scope.")).toEqual([
      { text: "AutoPrintFarm's broad ", code: false },
      { text: "read", code: true },
      { text: " scope.", code: false },
    ]);
    expect(splitCodeSpans("`a` and `b`")).toEqual([
      { text: "a", code: true },
      { text: " and ", code: false },
      { text: "b", code: true },
    ]);
  });

  it("leaves text without a pair of backticks as it is", () => {
    expect(splitCodeSpans("no code here")).toEqual([{ text: "no code here", code: false }]);
    expect(splitCodeSpans("a lone ` tick")).toEqual([{ text: "a lone ` tick", code: false }]);
  });

  it("leaves no backtick in the plain text of any scope's description", () => {
    for (const scope of SCOPES) {
      const spans = splitCodeSpans(SCOPE_REGISTRY[scope].description);
      for (const s of spans) expect(s.text).not.toContain("`");
    }
  });
});
