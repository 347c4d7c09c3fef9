// Validates an item at write time against the STAC core item schema of its `stac_version` and every schema
// in its `stac_extensions`, using the official schemas vendored in ./schemas (never fetched: a write must
// not wait on, or be steered by, a third-party host).
//
// A schema the archive does not hold (a third party's extension, a release newer than the vendored copy)
// is accepted unvalidated, and logged: extensions are open by design, producers declare what they use,
// and refusing their metadata for a schema we lack would make every new extension release an outage of
// ingest until a redeploy. The core schema is not optional: an item whose `stac_version` has no vendored
// core schema (only 1.0.0 and 1.1.0 do) is refused.
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { FormatsPlugin } from "ajv-formats";
import { jsonLogger, type Logger } from "../log.ts";
import type { StacItem } from "./types.ts";

/** Names the offending field and what was expected; the caller picks the error type (422 or 400). */
type Fail = (field: string, why: string) => Error;

const coreUrl = (version: string) =>
  `https://schemas.stacspec.org/v${version}/item-spec/json-schema/item.json`;

interface Validators {
  /** The validator of a vendored schema, compiled on first use; undefined for one the archive lacks. */
  get(url: string): ValidateFunction | undefined;
  coreVersions: string[];
}

let loading: Promise<Validators> | undefined;

/**
 * ajv and the schemas (~490 KB of the bundle) are evaluated on the first write, not at every cold start:
 * a process that only reads pays for parsing them, no more. Each schema is compiled once per process,
 * with the ones its `$ref`s reach, when an item first declares it.
 */
function validators(): Promise<Validators> {
  loading ??= (async () => {
    const [{ Ajv }, formats, { VENDORED_SCHEMAS, SCHEMA_REFS }] = await Promise.all([
      import("ajv"),
      import("ajv-formats"),
      import("./schemas/index.ts"),
    ]);
    // ajv-formats is CommonJS: under ESM its default export is the module object, holding the plugin.
    const addFormats = ((formats.default as unknown as { default?: FormatsPlugin }).default ??
      formats.default) as FormatsPlugin;
    const ajv = makeAjv(Ajv, addFormats);
    const added = new Set<string>();
    const compiled = new Map<string, ValidateFunction>();
    return {
      get(url) {
        if (!Object.hasOwn(VENDORED_SCHEMAS, url)) return undefined;
        let v = compiled.get(url);
        if (!v) {
          // Registered by URL, not by `$id`: two published files carry an `$id` that is not their URL.
          for (const u of [url, ...(SCHEMA_REFS[url] ?? [])])
            if (!added.has(u)) {
              ajv.addSchema(VENDORED_SCHEMAS[u]!, u);
              added.add(u);
            }
          v = ajv.getSchema(url)!;
          compiled.set(url, v);
        }
        return v;
      },
      coreVersions: Object.keys(VENDORED_SCHEMAS)
        .map(
          (u) =>
            /^https:\/\/schemas\.stacspec\.org\/v([^/]+)\/item-spec\/json-schema\/item\.json$/.exec(u)?.[1],
        )
        .filter((v): v is string => v !== undefined),
    };
  })();
  return loading;
}

function makeAjv(AjvClass: typeof Ajv, addFormats: FormatsPlugin): Ajv {
  // Compiled once per process, used for a few items: compile time is what counts. Separate functions for
  // $refs and no code optimisation halve it (measured: core item.json + PROJJSON 320 -> 135 ms of CPU).
  const a = new AjvClass({ allErrors: true, strict: false, inlineRefs: false, code: { optimize: false } });
  // The formats these schemas use (test/stac/item-schemas.test.ts fails on any other): ajv-formats has
  // all but STAC's iri / iri-reference.
  addFormats(a, ["date-time", "duration", "uri", "uri-template"]);
  a.addFormat("iri", (s: string) => URL.canParse(s));
  a.addFormat("iri-reference", () => true);
  return a;
}

/**
 * Throws through `fail` on the first schema the item breaks, naming the field and the schema's URL.
 * Returns the declared schemas that were not validated because the archive does not hold them.
 * The item is checked as it will be served: with the `collection` link the API adds to every answer.
 */
export async function requireItemSchemas(
  item: StacItem,
  fail: Fail,
  log: Logger = jsonLogger,
): Promise<string[]> {
  const schemas = await validators();
  const core = coreUrl(item.stac_version);
  if (!schemas.get(core))
    throw fail(
      "stac_version",
      `'${item.stac_version}' is not a STAC version this archive validates (${schemas.coreVersions.join(", ")})`,
    );
  const served = withDerivedLinks(item);
  const unvalidated: string[] = [];
  for (const url of [core, ...new Set(item.stac_extensions ?? [])]) {
    const validate = schemas.get(url);
    if (!validate) {
      unvalidated.push(url);
      continue;
    }
    if (!validate(served)) {
      const { field, why } = describe(validate.errors ?? []);
      throw fail(field, `${why} (schema ${url})`);
    }
  }
  if (unvalidated.length > 0)
    log.warn("item accepted with schemas the archive does not hold, unvalidated", {
      collection: item.collection,
      id: item.id,
      unvalidated,
    });
  return unvalidated;
}

/** STAC 1.1 wants a `collection` link beside `collection`; the archive derives it, so bodies need not carry it. */
function withDerivedLinks(item: StacItem): StacItem {
  if (!item.collection || item.links.some((l) => l?.rel === "collection")) return item;
  return { ...item, links: [...item.links, { rel: "collection", href: `/collections/${item.collection}` }] };
}

// Keywords that only summarise their branches' errors: the branch errors say more.
const SUMMARY = new Set(["anyOf", "oneOf", "allOf", "if", "then", "else"]);

/**
 * The most telling error. An error at a value that also failed a choice of alternatives (a `oneOf` at
 * the same path: `geometry` null where one branch wants a Geometry) only says which alternative it did
 * not match, so concrete errors elsewhere come first (`bbox` set beside a null geometry); then the
 * deepest field, then the validator's order.
 */
function describe(errors: ErrorObject[]): { field: string; why: string } {
  const chosen = new Set(errors.filter((e) => SUMMARY.has(e.keyword)).map((e) => e.instancePath));
  const rank = (e: ErrorObject) =>
    (SUMMARY.has(e.keyword) ? 2 : chosen.has(e.instancePath) ? 1 : 0) * 1000 - fieldPath(e).length;
  const best = [...errors].sort((a, b) => rank(a) - rank(b))[0];
  if (!best) return { field: "item", why: "does not validate" };
  return { field: fieldName(fieldPath(best)), why: message(best) };
}

/** The instance path as segments, with the property a `required` or `additionalProperties` names. */
function fieldPath(e: ErrorObject): string[] {
  const path = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  const named = e.params["missingProperty"] ?? e.params["additionalProperty"];
  return typeof named === "string" ? [...path, named] : path;
}

/** `properties.eo:cloud_cover`, `assets.B01.eo:bands[0].name`: the names the archive's other checks use. */
function fieldName(path: string[]): string {
  if (path.length === 0) return "item";
  return path.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function message(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
    case "not":
      return "is not allowed";
    case "enum":
      return `must be one of ${(p["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(p["allowedValue"])}`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}
