// JSON parsed with the line each value starts on, so that a refused policy file can name the line and
// field of every mistake (JSON.parse says neither).

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LocatedJson {
  value: unknown;
  /** The line (1-based) where the value at this path starts, e.g. `policies[0].rules[1].keepDays`. */
  lineOf(path: string): number;
}

export function parseJsonWithLines(text: string): LocatedJson {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(line, `line ${line}: ${what}`);
  };
  const space = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "\n") line++;
      else if (c !== " " && c !== "\t" && c !== "\r") break;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === "\\") i++;
      if (text[i] === "\n") fail("a string may not span lines");
    }
    if (i >= text.length) fail("a string is not closed");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail(`not a valid string: ${text.slice(start, Math.min(i, start + 40))}`);
    }
  };
  const value = (path: string): unknown => {
    space();
    lines.set(path, line);
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      space();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a field name in quotes at ${path || "the top"}`);
        const key = string();
        space();
        if (text[i] !== ":") fail(`expected ':' after "${key}"`);
        i++;
        out[key] = value(path ? `${path}.${key}` : key);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail(`expected ',' or '}' in ${path || "the top object"}`);
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      space();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(`${path}[${out.length}]`));
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail(`expected ',' or ']' in ${path}`);
      }
    }
    if (c === '"') return string();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m)
      return fail(`unexpected ${c === undefined ? "end of file" : `'${c}'`}${path ? ` at ${path}` : ""}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const v = value("");
  space();
  if (i < text.length) fail("unexpected text after the end of the JSON document");
  return {
    value: v,
    lineOf: (path) => {
      for (let p = path; ; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
        const l = lines.get(p);
        if (l !== undefined) return l;
        if (p === "") return 1;
      }
    },
  };
}
