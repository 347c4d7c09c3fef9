// IAM's StringLike, for tests that check what a policy's patterns let through: `*` matches any run of
// characters (none included), `?` exactly one, everything else itself, case-sensitively.
export function stringLike(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(value);
}
