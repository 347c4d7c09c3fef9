// The one JSON parser for callers' input: bounded in size and nesting before anything walks the value.
import { describe, expect, it } from "vitest";
import { jsonDepthExceeds, parseJsonObject, parseJsonText } from "../../shared/http/json-input.ts";

const status = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return [(e as { status?: number }).status, (e as Error).message];
  }
  return [200, ""];
};

describe("JSON input", () => {
  it("measures nesting outside strings only", () => {
    expect(jsonDepthExceeds("[[1]]", 2)).toBe(false);
    expect(jsonDepthExceeds("[[[1]]]", 2)).toBe(true);
    expect(jsonDepthExceeds('["[[[[", "\\"[[[["]', 1)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[]}],"c":{}}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[]}],"c":{}}', 3)).toBe(true);
  });

  it("refuses deep, large and malformed JSON with the parameter's name", () => {
    expect(status(() => parseJsonText(`${"[".repeat(300)}${"]".repeat(300)}`, "query"))).toEqual([
      400,
      "query: JSON nested more than 256 levels deep",
    ]);
    expect(status(() => parseJsonText(`"${"x".repeat(100)}"`, "filter", { maxBytes: 50 }))).toEqual([
      413,
      "filter: larger than 50 bytes",
    ]);
    expect(status(() => parseJsonText("{", "intersects"))[1]).toMatch(/^intersects: not valid JSON/);
    expect(parseJsonText(`${"[".repeat(256)}${"]".repeat(256)}`, "q")).toBeInstanceOf(Array);
  });

  it("wants an object where a body is expected", () => {
    for (const [text, what] of [
      ["null", "null"],
      ["[]", "an array"],
      ['"x"', "a string"],
      ["42", "a number"],
    ])
      expect(status(() => parseJsonObject(text!, "request body"))).toEqual([
        400,
        `request body: must be a JSON object, got ${what}`,
      ]);
    expect(parseJsonObject('{"a":1}', "request body")).toEqual({ a: 1 });
  });
});
