// OGC CQL2 (cql2-text and cql2-json) for STAC API filtering: parse, print, evaluate, and plan.
export type * from "./ast.ts";
export { evaluateCql2 } from "./evaluate.ts";
export { extractIndexHints, type IndexHints } from "./index-hints.ts";
export { parseCql2Json } from "./json-parser.ts";
export { collectPropertyRefs } from "./refs.ts";
export { type ParseOptions, parseCql2Text } from "./text-parser.ts";
export { type Cql2Json, toCql2Json, toCql2Text } from "./writers.ts";
