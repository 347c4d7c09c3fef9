// cql2-text → AST: a recursive-descent parser following the precedence of the CQL2 BNF
// (OR < AND < NOT < predicates < + - < * / % div < ^ < unary sign).
import { BadRequestError } from "../../errors.ts";
import {
  type Cql2Expr,
  type Cql2Node,
  type Cql2Value,
  type IntervalBound,
  isExpr,
  type ListLiteral,
} from "./ast.ts";
import { buildOperation, canonicalOp, describe } from "./build.ts";
import { checkBBox, checkDate, checkTimestamp, instantKind } from "./literals.ts";
import { TokenCursor, tokenize } from "./text-lexer.ts";
import { isWktKeyword, readWkt } from "./wkt.ts";

export interface ParseOptions {
  /** Request parameter named in error messages. */
  param?: string;
}

const MAX_LENGTH = 100_000;
const MAX_DEPTH = 100;
const KEYWORDS = new Set(["AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "DIV"]);
const COMPARISONS = new Set(["=", "<>", "<", "<=", ">", ">="]);

class TextParser {
  private depth = 0;
  constructor(private readonly c: TokenCursor) {}

  private build(name: string, args: Cql2Node[], pos: number): Cql2Node {
    return buildOperation(name, args, (msg) => this.c.failAt(msg, pos));
  }

  private nested<T>(pos: number, parse: () => T): T {
    this.enter(pos);
    const out = parse();
    this.depth -= 1;
    return out;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH)
      this.c.failAt(`expression is nested more than ${MAX_DEPTH} levels deep`, pos);
  }

  /** Long AND/OR chains become one flat node, so their length does not add nesting depth. */
  parseOr(): Cql2Node {
    const first = this.parseAnd();
    const args = [first];
    let pos = 0;
    while (this.c.isKeyword("OR")) {
      pos = this.c.next().pos;
      args.push(this.parseAnd());
    }
    return args.length === 1 ? first : this.build("or", args, pos);
  }

  private parseAnd(): Cql2Node {
    const first = this.parseNot();
    const args = [first];
    let pos = 0;
    while (this.c.isKeyword("AND")) {
      pos = this.c.next().pos;
      args.push(this.parseNot());
    }
    return args.length === 1 ? first : this.build("and", args, pos);
  }

  private parseNot(): Cql2Node {
    if (!this.c.isKeyword("NOT")) return this.parsePredicate();
    const op = this.c.next();
    return this.nested(op.pos, () => this.build("not", [this.parseNot()], op.pos));
  }

  private parsePredicate(): Cql2Node {
    const left = this.parseAdditive();
    const c = this.c;
    const t = c.peek();
    if (t.type === "op" && COMPARISONS.has(t.text)) {
      c.next();
      return this.build(t.text, [left, this.parseAdditive()], t.pos);
    }
    if (c.isKeyword("IS")) {
      c.next();
      const negated = c.isKeyword("NOT");
      if (negated) c.next();
      if (!c.isKeyword("NULL")) c.unexpected(negated ? "NULL" : "NULL or NOT NULL");
      c.next();
      const test = this.build("isNull", [left], t.pos);
      return negated ? this.build("not", [test], t.pos) : test;
    }
    const negated = c.isKeyword("NOT") && ["LIKE", "BETWEEN", "IN"].some((k) => c.isKeyword(k, 1));
    if (negated) c.next();
    const op = c.peek();
    let node: Cql2Node;
    if (c.isKeyword("LIKE")) {
      c.next();
      node = this.build("like", [left, this.parseAdditive()], op.pos);
    } else if (c.isKeyword("BETWEEN")) {
      c.next();
      const low = this.parseAdditive();
      if (!c.isKeyword("AND")) c.unexpected("AND between the two bounds of BETWEEN");
      c.next();
      node = this.build("between", [left, low, this.parseAdditive()], op.pos);
    } else if (c.isKeyword("IN")) {
      c.next();
      node = this.build("in", [left, this.parseList()], op.pos);
    } else {
      return left;
    }
    return negated ? this.build("not", [node], op.pos) : node;
  }

  // Arithmetic chains nest to the left, so each link counts towards the depth limit.
  private parseAdditive(): Cql2Node {
    const saved = this.depth;
    let left = this.parseMultiplicative();
    while (this.c.isOp("+") || this.c.isOp("-")) {
      const op = this.c.next();
      this.enter(op.pos);
      left = this.build(op.text, [left, this.parseMultiplicative()], op.pos);
    }
    this.depth = saved;
    return left;
  }

  private parseMultiplicative(): Cql2Node {
    const saved = this.depth;
    let left = this.parsePower();
    while (this.c.isOp("*") || this.c.isOp("/") || this.c.isOp("%") || this.c.isKeyword("DIV")) {
      const op = this.c.next();
      this.enter(op.pos);
      left = this.build(op.text, [left, this.parsePower()], op.pos);
    }
    this.depth = saved;
    return left;
  }

  private parsePower(): Cql2Node {
    const base = this.parseUnary();
    if (!this.c.isOp("^")) return base;
    const op = this.c.next();
    return this.nested(op.pos, () => this.build("^", [base, this.parsePower()], op.pos));
  }

  private parseUnary(): Cql2Node {
    if (!this.c.isOp("-") && !this.c.isOp("+")) return this.parsePrimary();
    const op = this.c.next();
    const operand = this.nested(op.pos, () => this.parseUnary());
    if (op.text === "+") return operand;
    if (operand.kind === "number") return { kind: "number", value: -operand.value };
    return this.build("*", [{ kind: "number", value: -1 }, operand], op.pos);
  }

  /** `( value, ... )`: an IN list or an array argument. */
  private parseList(): ListLiteral {
    const open = this.c.expectOp("(", "'(' to start a list");
    return this.nested(open.pos, () => {
      const items: Cql2Value[] = [];
      while (!this.c.isOp(")")) {
        if (items.length > 0) this.c.expectOp(",", "',' or ')'");
        items.push(this.value(this.c.isOp("(") ? this.parseList() : this.parseAdditive(), "a list item"));
      }
      this.c.next();
      return { kind: "list", items };
    });
  }

  private value(node: Cql2Node, what: string): Cql2Value {
    if (node.kind === "property" || !isExpr(node)) return node as Cql2Value;
    if (node.kind === "boolean") return node;
    return this.c.failAt(`${what} must be a value, got ${describe(node)}`, this.c.peek().pos);
  }

  private parseParenthesised(): Cql2Node {
    const open = this.c.next();
    return this.nested(open.pos, () => {
      if (this.c.isOp(")")) {
        this.c.next();
        return { kind: "list", items: [] };
      }
      const first = this.parseOr();
      if (!this.c.isOp(",")) {
        this.c.expectOp(")", "')' or an operator");
        return first;
      }
      const items = [this.value(first, "a list item")];
      while (this.c.isOp(",")) {
        this.c.next();
        items.push(this.value(this.c.isOp("(") ? this.parseList() : this.parseAdditive(), "a list item"));
      }
      this.c.expectOp(")", "',' or ')'");
      return { kind: "list", items };
    });
  }

  private parsePrimary(): Cql2Node {
    const c = this.c;
    const t = c.peek();
    if (t.type === "number") {
      c.next();
      const value = Number(t.text);
      if (!Number.isFinite(value)) return c.failAt(`number ${t.text} is out of range`, t.pos);
      return { kind: "number", value };
    }
    if (t.type === "string") {
      c.next();
      return { kind: "string", value: t.text };
    }
    if (t.type === "quoted") {
      c.next();
      if (t.text === "") return c.failAt("a quoted property name must not be empty", t.pos);
      return { kind: "property", name: t.text };
    }
    if (c.isOp("(")) return this.parseParenthesised();
    if (t.type !== "ident") return c.unexpected("a value");
    const word = t.text.toUpperCase();
    if (word === "TRUE" || word === "FALSE") {
      c.next();
      return { kind: "boolean", value: word === "TRUE" };
    }
    if (word === "NULL") return c.failAt("NULL is only allowed in IS NULL / IS NOT NULL", t.pos);
    if (KEYWORDS.has(word)) return c.unexpected("a value");
    if (isWktKeyword(word)) return { kind: "geometry", geometry: readWkt(c) };
    if (!c.isOp("(", 1)) {
      c.next();
      return { kind: "property", name: t.text };
    }
    return this.parseCall(word);
  }

  private parseCall(word: string): Cql2Node {
    const c = this.c;
    const name = c.next();
    c.expectOp("(");
    return this.nested(name.pos, () => {
      if (word === "TIMESTAMP" || word === "DATE") {
        const arg = c.peek();
        if (arg.type !== "string") c.unexpected(`a quoted ${word.toLowerCase()} string`);
        c.next();
        c.expectOp(")");
        const fail = (msg: string): never => c.failAt(msg, arg.pos);
        return word === "DATE"
          ? { kind: "date", value: checkDate(arg.text, fail) }
          : { kind: "timestamp", value: checkTimestamp(arg.text, fail) };
      }
      if (word === "INTERVAL") {
        const start = this.parseBound();
        c.expectOp(",", "',' between the two ends of INTERVAL");
        const end = this.parseBound();
        c.expectOp(")");
        return { kind: "interval", start, end };
      }
      if (word === "BBOX") {
        const nums = [c.number("a number")];
        while (c.isOp(",")) {
          c.next();
          nums.push(c.number("a number"));
        }
        c.expectOp(")", "',' or ')'");
        return { kind: "bbox", bbox: checkBBox(nums, (msg) => c.failAt(msg, name.pos)) };
      }
      const op = canonicalOp(word);
      if (op === undefined || !/^(casei|accenti|[sta]_)/i.test(op)) {
        return c.failAt(`unknown function '${name.text}'`, name.pos);
      }
      const arrayArgs = op.startsWith("a_");
      const args: Cql2Node[] = [];
      while (!c.isOp(")")) {
        if (args.length > 0) c.expectOp(",", "',' or ')'");
        args.push(arrayArgs && c.isOp("(") ? this.parseList() : this.parseOr());
      }
      c.next();
      return this.build(op, args, name.pos);
    });
  }

  private parseBound(): IntervalBound {
    const c = this.c;
    const t = c.peek();
    if (t.type === "string") {
      c.next();
      const kind = instantKind(t.text);
      if (kind === "open") return null;
      const fail = (msg: string): never => c.failAt(msg, t.pos);
      if (kind === "date") return { kind, value: checkDate(t.text, fail) };
      return { kind: "timestamp", value: checkTimestamp(t.text, fail) };
    }
    const node = this.parsePrimary();
    if (node.kind === "timestamp" || node.kind === "date" || node.kind === "property") return node;
    return c.failAt(
      `an INTERVAL end must be a date, a timestamp, '..' or a property, got ${describe(node)}`,
      t.pos,
    );
  }
}

/** Parses a cql2-text filter; every problem is a BadRequestError naming the position. */
export function parseCql2Text(text: string, options: ParseOptions = {}): Cql2Expr {
  const param = options.param ?? "filter";
  const failAt = (message: string, pos: number, expected?: string): never => {
    const tail = expected === undefined ? "" : `, expected ${expected}`;
    throw new BadRequestError(`${param}: ${message} at position ${pos}${tail}`);
  };
  if (typeof text !== "string") throw new BadRequestError(`${param}: expected a cql2-text string`);
  if (text.length > MAX_LENGTH) throw new BadRequestError(`${param}: longer than ${MAX_LENGTH} characters`);
  if (text.trim() === "") throw new BadRequestError(`${param}: the filter is empty`);
  const cursor = new TokenCursor(tokenize(text, failAt), failAt);
  const node = new TextParser(cursor).parseOr();
  if (cursor.peek().type !== "eof") cursor.unexpected("an operator or end of input");
  if (!isExpr(node)) return failAt(`the filter must be a boolean expression, got ${describe(node)}`, 0);
  return node;
}
