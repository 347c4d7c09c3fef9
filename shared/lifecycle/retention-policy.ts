// Retention policies as data: per collection (and product type), rules tried in order, each keeping
// items inside an optional region (a GeoJSON polygon) for a number of days or months. A file with any
// mistake is refused whole, each mistake named by line and field.
import { BadRequestError } from "../errors.ts";
import { intersects } from "../geo/geometry.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { Geometry } from "../stac/types.ts";
import { JsonSyntaxError, parseJsonWithLines } from "./json-lines.ts";

export interface RetentionRule {
  name: string;
  /** Items meeting it (absent: every item). */
  region?: Geometry;
  /** How long an item is kept after its datetime; neither: forever. */
  keepDays?: number;
  keepMonths?: number;
}

export interface RetentionPolicy {
  collection: string;
  /** The items' `product:type`; absent: every type without a policy of its own. */
  productType?: string;
  rules: RetentionRule[];
}

export class PolicyFileError extends BadRequestError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is refused, nothing in it is applied:\n  ${problems.join("\n  ")}`);
  }
}

const POLICY_FIELDS = ["collection", "productType", "rules"];
const RULE_FIELDS = ["name", "region", "keepDays", "keepMonths", "keepForever"];

/** The policies of a file's text; a PolicyFileError naming line and field of every mistake. */
export function parseRetentionPolicies(text: string, file = "retention policy"): RetentionPolicy[] {
  let doc: ReturnType<typeof parseJsonWithLines>;
  try {
    doc = parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new PolicyFileError(file, [e.message]);
    throw e;
  }
  const problems: string[] = [];
  const bad = (path: string, what: string) => problems.push(`line ${doc.lineOf(path)}: ${path} ${what}`);
  const root = doc.value as Record<string, unknown>;
  if (!isObject(root) || !Array.isArray(root["policies"])) {
    bad("policies", 'must be an array of policies (the file is {"policies": [ … ]})');
    throw new PolicyFileError(file, problems);
  }
  for (const k of Object.keys(root)) if (k !== "policies") bad(k, "is not a field of a policy file");
  const policies: RetentionPolicy[] = [];
  const seen = new Map<string, string>();
  (root["policies"] as unknown[]).forEach((raw, pi) => {
    const at = `policies[${pi}]`;
    if (!isObject(raw)) {
      bad(at, "must be an object");
      return;
    }
    for (const k of Object.keys(raw))
      if (!POLICY_FIELDS.includes(k))
        bad(`${at}.${k}`, `is not a field of a policy (${POLICY_FIELDS.join(", ")})`);
    const collection = raw["collection"];
    if (typeof collection !== "string" || collection === "")
      bad(`${at}.collection`, "must be a collection id");
    const productType = raw["productType"];
    if (productType !== undefined && (typeof productType !== "string" || productType === ""))
      bad(`${at}.productType`, "must be a product type (the items' product:type), e.g. S2MSI2A");
    const key = `${String(collection)}\u0000${String(productType ?? "")}`;
    if (seen.has(key)) bad(at, `repeats the policy of ${seen.get(key)} (same collection and product type)`);
    seen.set(key, at);
    const rules = raw["rules"];
    if (!Array.isArray(rules) || rules.length === 0) {
      bad(`${at}.rules`, "must be a non-empty array of rules");
      return;
    }
    const policy: RetentionPolicy = { collection: String(collection), rules: [] };
    if (typeof productType === "string") policy.productType = productType;
    rules.forEach((r, ri) => {
      const rule = parseRule(r, `${at}.rules[${ri}]`, bad);
      if (rule) policy.rules.push(rule);
    });
    policies.push(policy);
  });
  if (problems.length) throw new PolicyFileError(file, problems);
  return policies;
}

function parseRule(
  r: unknown,
  at: string,
  bad: (path: string, what: string) => void,
): RetentionRule | undefined {
  if (!isObject(r)) {
    bad(at, "must be an object");
    return undefined;
  }
  for (const k of Object.keys(r))
    if (!RULE_FIELDS.includes(k)) bad(`${at}.${k}`, `is not a field of a rule (${RULE_FIELDS.join(", ")})`);
  const rule: RetentionRule = { name: typeof r["name"] === "string" ? r["name"] : at };
  if (r["name"] !== undefined && typeof r["name"] !== "string") bad(`${at}.name`, "must be a string");
  const periods = ["keepDays", "keepMonths", "keepForever"].filter((k) => r[k] !== undefined);
  if (periods.length !== 1)
    bad(
      at,
      `must have exactly one of keepDays, keepMonths, keepForever (has ${periods.join(", ") || "none"})`,
    );
  for (const k of ["keepDays", "keepMonths"] as const) {
    const v = r[k];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 1200)
      bad(`${at}.${k}`, `must be a whole number from 1 to 1200, got ${JSON.stringify(v)}`);
    else rule[k] = v;
  }
  if (r["keepForever"] !== undefined && r["keepForever"] !== true)
    bad(`${at}.keepForever`, "must be true when given");
  if (r["region"] !== undefined) {
    const why = regionProblem(r["region"]);
    if (why) bad(`${at}.region`, why);
    else rule.region = r["region"] as Geometry;
  }
  return rule;
}

/** Why a region is not a usable GeoJSON Polygon or MultiPolygon (in WGS84 degrees); undefined if it is. */
function regionProblem(g: unknown): string | undefined {
  if (!isObject(g) || (g["type"] !== "Polygon" && g["type"] !== "MultiPolygon"))
    return "must be a GeoJSON Polygon or MultiPolygon";
  const polys = (g["type"] === "Polygon" ? [g["coordinates"]] : g["coordinates"]) as unknown;
  if (!Array.isArray(polys) || polys.length === 0) return "has no coordinates";
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) return "has a polygon without rings";
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) return "has a ring of fewer than 4 positions";
      const ok = ring.every(
        (p) =>
          Array.isArray(p) &&
          typeof p[0] === "number" &&
          typeof p[1] === "number" &&
          Math.abs(p[0]) <= 180 &&
          Math.abs(p[1]) <= 90,
      );
      if (!ok) return "has a position that is not [longitude, latitude] in degrees";
      const [a, b] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (a[0] !== b[0] || a[1] !== b[1]) return "has a ring that is not closed (last position = first)";
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The policy for an item: the one of its product type, else its collection's without a type. */
export function policyFor(policies: RetentionPolicy[], s: ItemSummary): RetentionPolicy | undefined {
  const type = s.properties["product:type"];
  const mine = policies.filter((p) => p.collection === s.collection);
  return (
    mine.find((p) => p.productType !== undefined && p.productType === type) ??
    mine.find((p) => !p.productType)
  );
}

/** The first rule the item meets (a region it touches, or no region): touching counts, so nothing kept is lost. */
export function ruleFor(policy: RetentionPolicy, s: ItemSummary): RetentionRule | undefined {
  return policy.rules.find((r) => !r.region || (s.geometry !== null && intersects(s.geometry, r.region)));
}

/** When an item under this rule expires; undefined: never. */
export function expiresAt(rule: RetentionRule, datetime: string): Date | undefined {
  const d = new Date(datetime);
  if (rule.keepDays) return new Date(d.getTime() + rule.keepDays * 86_400_000);
  if (rule.keepMonths) {
    d.setUTCMonth(d.getUTCMonth() + rule.keepMonths);
    return d;
  }
  return undefined;
}

/** The shortest time any rule of the policy keeps an item: nothing younger can have expired. */
export function shortestKeepMs(policy: RetentionPolicy): number | undefined {
  const ms = policy.rules
    .map((r) =>
      r.keepDays ? r.keepDays * 86_400_000 : r.keepMonths ? r.keepMonths * 28 * 86_400_000 : undefined,
    )
    .filter((x): x is number => x !== undefined);
  return ms.length ? Math.min(...ms) : undefined;
}
