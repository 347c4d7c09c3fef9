// The Solr-style `q` of DHuS's OpenSearch, as sentinelsat and older scripts write it: `key:value`
// terms with implicit AND, AND / OR / NOT, parenthesised groups, quoted values, wildcards, ranges
// `[a TO b]` (`{}` exclusive, `*` open) and `footprint:"Intersects(<WKT or ENVELOPE>)"`.
import { BadRequestError } from "../errors.ts";
import { TokenCursor, tokenize } from "../search/cql2/text-lexer.ts";
import { readWkt } from "../search/cql2/wkt.ts";
import type { Geometry } from "../stac/types.ts";
import { isField } from "./fields.ts";

export type Relation = "intersects" | "contains" | "iswithin";

export type QNode =
  | { kind: "and" | "or"; args: QNode[] }
  | { kind: "not"; arg: QNode }
  /** `field` undefined: a bare word, matched against the identifier and file name. */
  | { kind: "term"; field: string | undefined; value: string }
  | { kind: "range"; field: string; lo: string; hi: string; loIncl: boolean; hiIncl: boolean }
  | { kind: "footprint"; relation: Relation; geometry: Geometry };

/** A query DHuS would refuse; the search answers it inside the feed, as DHuS did. */
export class QueryError extends BadRequestError {}

const MAX_QUERY = 8000;

export function parseDhusQuery(q: string): QNode {
  if (q.length > MAX_QUERY) throw new QueryError(`the query is longer than ${MAX_QUERY} characters`);
  if (q.trim() === "" || q.trim() === "*" || q.trim() === "*:*") return { kind: "and", args: [] };
  const p = new Parser(q);
  const node = p.parseOr();
  p.ws();
  if (!p.end()) p.fail("unexpected ')'");
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  end = () => this.i >= this.s.length;
  private peek = () => this.s[this.i] ?? "";

  fail(message: string): never {
    throw new QueryError(`org.apache.solr.search.SyntaxError: ${message} at position ${this.i}`);
  }

  ws(): void {
    while (/\s/.test(this.peek())) this.i++;
  }

  private keyword(k: string): boolean {
    this.ws();
    const after = this.s[this.i + k.length] ?? " ";
    if (this.s.startsWith(k, this.i) && /[\s(]/.test(after)) {
      this.i += k.length;
      return true;
    }
    return false;
  }

  parseOr(): QNode {
    const args = [this.parseAnd()];
    while (this.keyword("OR")) args.push(this.parseAnd());
    return args.length === 1 ? args[0]! : { kind: "or", args };
  }

  private parseAnd(): QNode {
    const args: QNode[] = [];
    for (;;) {
      this.ws();
      if (this.end() || this.peek() === ")") break;
      const save = this.i;
      if (this.keyword("OR")) {
        this.i = save;
        break;
      }
      if (this.keyword("AND") || this.s.startsWith("&&", this.i)) {
        if (this.peek() === "&") this.i += 2;
        continue;
      }
      args.push(this.parseUnary());
    }
    if (args.length === 0) this.fail("expected a term");
    return args.length === 1 ? args[0]! : { kind: "and", args };
  }

  private parseUnary(): QNode {
    if (this.keyword("NOT") || this.peek() === "-" || this.peek() === "!") {
      if (this.peek() === "-" || this.peek() === "!") this.i++;
      return { kind: "not", arg: this.parseUnary() };
    }
    if (this.peek() === "+") this.i++;
    return this.parsePrimary();
  }

  private parsePrimary(): QNode {
    if (this.peek() === "(") {
      this.i++;
      const inner = this.parseOr();
      this.expect(")");
      return inner;
    }
    const m = /^([A-Za-z_][\w.]*):/.exec(this.s.slice(this.i));
    if (!m) return { kind: "term", field: undefined, value: this.word() };
    this.i += m[0].length;
    const field = m[1]!.toLowerCase();
    if (field === "footprint") return parseFootprint(this.quotedOrWord());
    if (!isField(field)) throw new QueryError(`undefined field ${m[1]}`);
    return this.parseValue(field);
  }

  /** After `field:`: a value, a range or a group of values. */
  private parseValue(field: string): QNode {
    const c = this.peek();
    if (c === "[" || c === "{") return this.parseRange(field);
    if (c === "(") {
      this.i++;
      const group = this.parseGroup(field);
      this.expect(")");
      return group;
    }
    return { kind: "term", field, value: this.quotedOrWord() };
  }

  private parseGroup(field: string): QNode {
    const ors: QNode[] = [];
    let ands: QNode[] = [];
    for (;;) {
      this.ws();
      if (this.end() || this.peek() === ")") break;
      if (this.keyword("OR")) {
        ors.push(ands.length === 1 ? ands[0]! : { kind: "and", args: ands });
        ands = [];
        continue;
      }
      if (this.keyword("AND")) continue;
      ands.push(this.parseValue(field));
    }
    if (ands.length === 0) this.fail("expected a value");
    ors.push(ands.length === 1 ? ands[0]! : { kind: "and", args: ands });
    return ors.length === 1 ? ors[0]! : { kind: "or", args: ors };
  }

  private parseRange(field: string): QNode {
    const loIncl = this.peek() === "[";
    this.i++;
    this.ws();
    const lo = this.bound();
    if (!this.keyword("TO")) this.fail("expected TO in a range");
    this.ws();
    const hi = this.bound();
    this.ws();
    const close = this.peek();
    if (close !== "]" && close !== "}") this.fail("expected ']' or '}' to close the range");
    this.i++;
    return { kind: "range", field, lo, hi, loIncl, hiIncl: close === "]" };
  }

  private bound(): string {
    if (this.peek() === '"') return this.quoted();
    const m = /^[^\s\]}]+/.exec(this.s.slice(this.i));
    if (!m) this.fail("expected a range bound");
    this.i += m[0].length;
    return m[0];
  }

  private quotedOrWord(): string {
    return this.peek() === '"' ? this.quoted() : this.word();
  }

  private quoted(): string {
    let out = "";
    this.i++;
    while (!this.end() && this.peek() !== '"') {
      if (this.peek() === "\\") this.i++;
      out += this.peek();
      this.i++;
    }
    if (this.end()) this.fail("unterminated quoted value");
    this.i++;
    return out;
  }

  private word(): string {
    let out = "";
    while (!this.end() && !/[\s()]/.test(this.peek())) {
      if (this.peek() === "\\") this.i++;
      out += this.peek();
      this.i++;
    }
    if (out === "") this.fail("expected a value");
    return out;
  }

  private expect(c: string): void {
    this.ws();
    if (this.peek() !== c) this.fail(`expected '${c}'`);
    this.i++;
  }
}

/** `Intersects(POLYGON((…)))`, `Contains(…)`, `IsWithin(ENVELOPE(minX, maxX, maxY, minY))`. */
export function parseFootprint(text: string): QNode {
  const m = /^\s*(intersects|contains|iswithin)\s*\(([\s\S]*)\)\s*$/i.exec(text);
  if (!m)
    throw new QueryError(`footprint: expected Intersects(…), Contains(…) or IsWithin(…), got '${text}'`);
  return { kind: "footprint", relation: m[1]!.toLowerCase() as Relation, geometry: parseShape(m[2]!) };
}

function parseShape(text: string): Geometry {
  const env = /^\s*ENVELOPE\s*\(([^)]*)\)\s*$/i.exec(text);
  if (env) {
    const n = env[1]!.split(",").map((x) => Number(x.trim()));
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x)))
      throw new QueryError("footprint: ENVELOPE expects four numbers (minX, maxX, maxY, minY)");
    const [w, e, north, south] = n as [number, number, number, number];
    const ring = [
      [w, south],
      [e, south],
      [e, north],
      [w, north],
      [w, south],
    ];
    return { type: "Polygon", coordinates: [ring] } as Geometry;
  }
  const failAt = (message: string, pos: number): never => {
    throw new QueryError(`footprint: ${message} at position ${pos} of the geometry`);
  };
  try {
    const cursor = new TokenCursor(tokenize(text, failAt), failAt);
    const g = readWkt(cursor);
    if (cursor.peek().type !== "eof") failAt("unexpected text after the geometry", cursor.peek().pos);
    return g;
  } catch (e) {
    if (e instanceof QueryError) throw e;
    throw new QueryError(`footprint: ${(e as Error).message}`);
  }
}
