// The part of OData v2 `$filter` that DHuS users wrote against `odata/v1/Products`, read into the
// same query tree as OpenSearch's `q` (./query.ts): `and`/`or`/`not`, parentheses, comparisons of
// Name, IngestionDate, CreationDate, ContentDate/Start|End, ContentLength, and substringof/startswith/
// endswith on Name. Anything else is refused by name, never ignored.
import { type QNode, QueryError } from "./query.ts";

/** OData property → the q field it is. */
const PROPERTIES: Record<string, string> = {
  name: "identifier",
  ingestiondate: "ingestiondate",
  creationdate: "creationdate",
  "contentdate/start": "beginposition",
  "contentdate/end": "endposition",
};

type Token = { kind: "word" | "string" | "op"; text: string; pos: number };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(datetime)?'((?:[^']|'')*)'|([A-Za-z][\w/]*)|([(),])|(-?\d+(?:\.\d+)?))/y;
  while (re.lastIndex < s.length) {
    const pos = re.lastIndex;
    const m = re.exec(s);
    if (!m) {
      if (/^\s*$/.test(s.slice(pos))) break;
      throw new QueryError(`$filter: unexpected '${s.slice(pos).trim().slice(0, 20)}' at position ${pos}`);
    }
    if (m[2] !== undefined) out.push({ kind: "string", text: m[2].replace(/''/g, "'"), pos });
    else if (m[3] !== undefined) out.push({ kind: "word", text: m[3], pos });
    else if (m[4] !== undefined) out.push({ kind: "op", text: m[4], pos });
    else out.push({ kind: "string", text: m[5]!, pos });
  }
  return out;
}

export function parseODataFilter(text: string): QNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (why: string): never => {
    throw new QueryError(`$filter: ${why} at position ${peek()?.pos ?? text.length}`);
  };
  const isWord = (w: string) => peek()?.kind === "word" && peek()!.text.toLowerCase() === w;
  const expectOp = (op: string) => {
    if (peek()?.kind !== "op" || peek()!.text !== op) fail(`expected '${op}'`);
    i++;
  };
  const literal = (): string => {
    const t = peek();
    if (t?.kind !== "string") return fail("expected a quoted value or a number");
    i++;
    return t.text;
  };
  const property = (): string => {
    const t = peek();
    const field = t?.kind === "word" ? PROPERTIES[t.text.toLowerCase()] : undefined;
    if (!field)
      return fail(
        `cannot filter on '${t?.text ?? ""}' (Name, IngestionDate, CreationDate, ContentDate/Start, ContentDate/End)`,
      );
    i++;
    return field;
  };

  const or = (): QNode => {
    const args = [and()];
    while (isWord("or")) {
      i++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { kind: "or", args };
  };
  const and = (): QNode => {
    const args = [unary()];
    while (isWord("and")) {
      i++;
      args.push(unary());
    }
    return args.length === 1 ? args[0]! : { kind: "and", args };
  };
  const unary = (): QNode => {
    if (isWord("not")) {
      i++;
      return { kind: "not", arg: unary() };
    }
    if (peek()?.kind === "op" && peek()!.text === "(") {
      i++;
      const inner = or();
      expectOp(")");
      return inner;
    }
    const fn = peek()?.kind === "word" ? peek()!.text.toLowerCase() : "";
    if (fn === "substringof" || fn === "startswith" || fn === "endswith") {
      i++;
      expectOp("(");
      // substringof('text', Name); startswith(Name, 'text'); endswith(Name, 'text')
      let v: string;
      if (fn === "substringof") {
        v = literal();
        expectOp(",");
        property();
      } else {
        property();
        expectOp(",");
        v = literal();
      }
      expectOp(")");
      const pattern = fn === "substringof" ? `*${v}*` : fn === "startswith" ? `${v}*` : `*${v}`;
      return { kind: "term", field: "identifier", value: pattern };
    }
    return comparison();
  };
  const comparison = (): QNode => {
    const field = property();
    const op = peek()?.kind === "word" ? peek()!.text.toLowerCase() : "";
    if (!["eq", "ne", "gt", "ge", "lt", "le"].includes(op)) fail("expected eq, ne, gt, ge, lt or le");
    i++;
    const value = literal();
    if (field === "identifier") {
      if (op !== "eq" && op !== "ne") fail("Name takes eq or ne");
      const term: QNode = { kind: "term", field, value };
      return op === "eq" ? term : { kind: "not", arg: term };
    }
    const range = (lo: string, hi: string, loIncl: boolean, hiIncl: boolean): QNode => ({
      kind: "range",
      field,
      lo,
      hi,
      loIncl,
      hiIncl,
    });
    if (op === "eq") return range(value, value, true, true);
    if (op === "ne") return { kind: "not", arg: range(value, value, true, true) };
    if (op === "gt" || op === "ge") return range(value, "*", op === "ge", true);
    return range("*", value, true, op === "le");
  };

  if (tokens.length === 0) return { kind: "and", args: [] };
  const node = or();
  if (i < tokens.length) fail(`unexpected '${peek()!.text}'`);
  return node;
}

/** `$orderby=IngestionDate desc,Name` → the q `orderby` (./search.ts). */
export function odataOrderBy(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  return text
    .split(",")
    .map((part) => {
      const [name = "", dir = "asc", ...rest] = part.trim().split(/\s+/);
      const field = PROPERTIES[name.toLowerCase()];
      if (!field || rest.length > 0 || !/^(asc|desc)$/i.test(dir))
        throw new QueryError(`$orderby: cannot sort on '${part.trim()}'`);
      return `${field} ${dir.toLowerCase()}`;
    })
    .join(",");
}
