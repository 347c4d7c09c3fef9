// Lists the properties a filter reads, so the API can reject filters on non-queryable ones.
import type { Cql2Node } from "./ast.ts";

function children(node: Cql2Node): Cql2Node[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.args;
    case "not":
      return [node.arg];
    case "comparison":
    case "arithmetic":
    case "spatial":
    case "temporal":
    case "array":
      return [node.left, node.right];
    case "like":
      return [node.value, node.pattern];
    case "between":
      return [node.value, node.low, node.high];
    case "in":
      return [node.value, ...node.list];
    case "isNull":
      return [node.value];
    case "casei":
    case "accenti":
      return [node.arg];
    case "list":
      return node.items;
    case "interval":
      return [node.start, node.end].filter((b) => b !== null);
    default:
      return [];
  }
}

/** Distinct property names in order of first appearance. */
export function collectPropertyRefs(expr: Cql2Node): string[] {
  const seen = new Set<string>();
  const stack: Cql2Node[] = [expr];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (node.kind === "property") seen.add(node.name);
    stack.unshift(...children(node));
  }
  return [...seen];
}
