// The content hash of a stored item: SHA-256 of its canonical JSON (keys sorted at every level), so two
// stores holding the same item agree on it whatever order its fields were written in.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level and no whitespace (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** `sha256:<hex>` of the item's canonical JSON. */
export const contentHash = (item: unknown): string =>
  `sha256:${createHash("sha256").update(canonicalJson(item)).digest("hex")}`;
