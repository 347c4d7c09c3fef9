// Splits cql2-text into tokens that remember their character offset, for error messages.

export type TokenType = "ident" | "quoted" | "string" | "number" | "op" | "eof";

export interface Token {
  type: TokenType;
  /** Identifier or operator as written; string contents unescaped; number digits. */
  text: string;
  /** Character offset (0-based) of the token in the filter. */
  pos: number;
}

const IDENT_START = /[\p{L}_:]/u;
const IDENT_PART = /[\p{L}\p{N}_:.]/u;
const OPERATORS = ["<>", "<=", ">=", "=", "<", ">", "(", ")", ",", "+", "-", "*", "/", "%", "^"];

export function describeToken(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of input";
    case "string":
      return `string '${token.text}'`;
    case "quoted":
      return `"${token.text}"`;
    default:
      return `'${token.text}'`;
  }
}

/** Reads a quoted run starting at `start` (the opening quote); a doubled quote is a literal quote. */
function readQuoted(text: string, start: number, quote: string, fail: (msg: string, pos: number) => never) {
  let out = "";
  let i = start + 1;
  for (;;) {
    if (i >= text.length) return fail(`unterminated ${quote === "'" ? "string" : "quoted name"}`, start);
    const ch = text[i]!;
    if (ch === "\\" && quote === "'" && text[i + 1] === "'") {
      out += "'";
      i += 2;
    } else if (ch === quote && text[i + 1] === quote) {
      out += quote;
      i += 2;
    } else if (ch === quote) {
      return { value: out, end: i + 1 };
    } else {
      out += ch;
      i += 1;
    }
  }
}

export function tokenize(text: string, failAt: (message: string, pos: number) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { value, end } = readQuoted(text, i, ch, failAt);
      tokens.push({ type: ch === "'" ? "string" : "quoted", text: value, pos: i });
      i = end;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (num !== null) {
      tokens.push({ type: "number", text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end]!)) end += 1;
      tokens.push({ type: "ident", text: text.slice(i, end), pos: i });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) return failAt(`unexpected character '${ch}'`, i);
    tokens.push({ type: "op", text: op, pos: i });
    i += op.length;
  }
  tokens.push({ type: "eof", text: "", pos: text.length });
  return tokens;
}

/** A cursor over the tokens with the helpers both the expression and the WKT parsers use. */
export class TokenCursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly failAt: (message: string, pos: number, expected?: string) => never,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return t;
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "op" && t.text === text;
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "ident" && t.text.toUpperCase() === word;
  }
  unexpected(expected: string): never {
    const t = this.peek();
    return this.failAt(`unexpected ${t.type === "eof" ? "" : "token "}${describeToken(t)}`, t.pos, expected);
  }
  expectOp(text: string, expected = `'${text}'`): Token {
    if (!this.isOp(text)) this.unexpected(expected);
    return this.next();
  }
  /** Reads a signed number (the lexer leaves the sign as its own token). */
  number(expected: string): number {
    let sign = 1;
    if (this.isOp("-") || this.isOp("+")) sign = this.next().text === "-" ? -1 : 1;
    const t = this.peek();
    if (t.type !== "number") this.unexpected(expected);
    this.next();
    return sign * Number(t.text);
  }
}
