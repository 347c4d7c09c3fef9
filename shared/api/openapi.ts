// The OpenAPI 3.0 description of the routes createApi registers, built from the same parameter lists
// the parsers accept, so that the two cannot drift far.
import { AGGREGATION_PARAMS, AGGREGATIONS } from "../search/aggregate.ts";
import { QUERY_OPERATORS } from "../search/query-extension.ts";
import { ITEMS_PARAMS, SEARCH_PARAMS } from "../search/request.ts";

type Obj = Record<string, unknown>;

const P: Record<string, Obj> = {
  collectionId: { name: "collectionId", in: "path", required: true, schema: { type: "string" } },
  itemId: { name: "itemId", in: "path", required: true, schema: { type: "string" } },
  assetKey: { name: "assetKey", in: "path", required: true, schema: { type: "string" } },
  jobId: { name: "jobId", in: "path", required: true, schema: { type: "string" } },
  month: {
    name: "month",
    in: "path",
    required: true,
    schema: { type: "string", pattern: "^\\d{4}-\\d{2}$" },
  },
  bbox: {
    name: "bbox",
    in: "query",
    description: "west,south,east,north (WGS84); west > east crosses 180°",
    schema: { type: "string" },
  },
  datetime: {
    name: "datetime",
    in: "query",
    description:
      "RFC 3339 instant or interval a/b, ../b, a/..; a date alone (2024-05-14) is that whole UTC day",
    schema: { type: "string" },
  },
  limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 10000, default: 10 } },
  "changes-limit": {
    name: "limit",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
  },
  since: {
    name: "since",
    in: "query",
    description: "A cursor from the change feed's next link, or an RFC 3339 time; absent: from the start",
    schema: { type: "string" },
  },
  token: {
    name: "token",
    in: "query",
    description: "Opaque paging token from a next link",
    schema: { type: "string" },
  },
  collections: {
    name: "collections",
    in: "query",
    description: "Comma-separated collection ids",
    schema: { type: "string" },
  },
  ids: { name: "ids", in: "query", description: "Comma-separated item ids", schema: { type: "string" } },
  intersects: {
    name: "intersects",
    in: "query",
    description: "GeoJSON geometry (JSON text)",
    schema: { type: "string" },
  },
  filter: {
    name: "filter",
    in: "query",
    description: "CQL2 filter (see /queryables)",
    schema: { type: "string" },
  },
  "filter-lang": {
    name: "filter-lang",
    in: "query",
    schema: { type: "string", enum: ["cql2-text", "cql2-json"], default: "cql2-text" },
  },
  "filter-crs": {
    name: "filter-crs",
    in: "query",
    schema: { type: "string", enum: ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"] },
  },
  sortby: {
    name: "sortby",
    in: "query",
    description: "+field,-field (any queryable)",
    schema: { type: "string" },
  },
  fields: {
    name: "fields",
    in: "query",
    description: "field,-field (dotted paths)",
    schema: { type: "string" },
  },
  query: {
    name: "query",
    in: "query",
    description: `JSON object; operators ${QUERY_OPERATORS.join(", ")}`,
    schema: { type: "string" },
  },
  q: {
    name: "q",
    in: "query",
    description: "Free-text terms, comma-separated, ORed",
    schema: { type: "string" },
  },
  versions: {
    name: "versions",
    in: "query",
    description: "latest (default): superseded (reprocessed) versions are left out; all: every version",
    schema: { type: "string", enum: ["latest", "all"], default: "latest" },
  },
  aggregations: {
    name: "aggregations",
    in: "query",
    schema: { type: "string" },
    description: AGGREGATIONS.map((a) => a.name).join(", "),
  },
  datetime_frequency_interval: {
    name: "datetime_frequency_interval",
    in: "query",
    schema: { type: "string", enum: ["year", "month", "day", "hour"] },
  },
  centroid_geohex_grid_frequency_precision: {
    name: "centroid_geohex_grid_frequency_precision",
    in: "query",
    schema: { type: "integer", minimum: 0, maximum: 15 },
  },
  format: {
    name: "format",
    in: "query",
    description: "metalink (Metalink 4, the default) or aria2 (aria2c input file); else from Accept",
    schema: { type: "string", enum: ["metalink", "aria2"] },
  },
  href: {
    name: "href",
    in: "query",
    required: true,
    description: "An asset URL, /search or a collection's items URL of this API",
    schema: { type: "string" },
  },
};

const ITEM_QUERY = [...ITEMS_PARAMS];
const SEARCH_QUERY = [...SEARCH_PARAMS];
const params = (names: string[]) => names.map((n) => P[n]!);

const ERROR = { $ref: "#/components/responses/Error" };
const ok = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: "object" } } },
});

function op(summary: string, names: string[], type: string, extra: Obj = {}): Obj {
  return {
    summary,
    parameters: params(names),
    responses: { 200: ok(type, summary), 400: ERROR, 404: ERROR, 500: ERROR },
    ...extra,
  };
}

const strings = { type: "array", items: { type: "string" } };
const SEARCH_BODY: Obj = {
  collections: strings,
  ids: strings,
  bbox: { type: "array", items: { type: "number" }, minItems: 4, maxItems: 6 },
  intersects: { type: "object", description: "GeoJSON geometry" },
  datetime: { type: "string" },
  limit: { type: "integer", minimum: 1, maximum: 10000 },
  token: { type: "string" },
  filter: { description: "CQL2 JSON (or text with filter-lang=cql2-text)" },
  "filter-lang": { type: "string", enum: ["cql2-json", "cql2-text"], default: "cql2-json" },
  "filter-crs": { type: "string" },
  sortby: {
    type: "array",
    items: {
      type: "object",
      properties: { field: { type: "string" }, direction: { type: "string", enum: ["asc", "desc"] } },
    },
  },
  fields: { type: "object", properties: { include: strings, exclude: strings } },
  query: { type: "object", description: `{"prop": {"op": value}}; ops ${QUERY_OPERATORS.join(", ")}` },
  q: { oneOf: [{ type: "string" }, strings] },
  versions: { type: "string", enum: ["latest", "all"], default: "latest" },
};

const jsonBody = (description: string, extra: Obj = {}) => ({
  required: false,
  content: {
    "application/json": {
      schema: {
        type: "object",
        description,
        properties: { ...SEARCH_BODY, ...extra },
        additionalProperties: false,
      },
    },
  },
});

/** A Transactions operation: operator credentials, a JSON body, the answers it can give. */
function write(summary: string, names: string[], body: string | undefined, status: 200 | 201 | 204): Obj {
  const responses: Obj = { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 500: ERROR };
  const type = /item/i.test(summary) ? "application/geo+json" : "application/json";
  responses[status] = status === 204 ? { description: "Done" } : ok(type, summary);
  const op: Obj = {
    summary: `${summary} (Transactions; operator credentials)`,
    parameters: params(names),
    responses,
  };
  if (body) {
    const types = summary.startsWith("Patch")
      ? ["application/merge-patch+json", "application/json"]
      : ["application/json"];
    const schema = { type: "object", description: body };
    op["requestBody"] = { required: true, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
  }
  return op;
}

export function openApiDocument(base: string): Obj {
  const geo = "application/geo+json";
  const js = "application/json";
  const coll = ["collectionId"];
  return {
    openapi: "3.0.3",
    info: {
      title: "hexarchive STAC API",
      version: "1.0.0",
      description: "STAC API over a DynamoDB + H3 index.",
    },
    servers: [{ url: base }],
    paths: {
      "/": { get: op("Landing page", [], js) },
      "/conformance": { get: op("Conformance classes", [], js) },
      "/api": { get: op("This document", [], "application/vnd.oai.openapi+json;version=3.0") },
      "/api.html": { get: op("This document as HTML", [], "text/html") },
      "/collections": {
        get: op(
          "Collections (Collection Search)",
          ["bbox", "datetime", "q", "filter", "filter-lang", "filter-crs", "limit", "token"],
          js,
        ),
        post: write("Create a collection", [], "A STAC Collection", 201),
      },
      "/collections/{collectionId}": {
        get: op("One collection", coll, js),
        put: write("Replace a collection", coll, "A STAC Collection", 200),
        patch: write("Patch a collection", coll, "A JSON Merge Patch of the Collection", 200),
        delete: write("Delete an empty collection", coll, undefined, 204),
      },
      "/collections/{collectionId}/items": {
        get: op("Items of a collection", [...coll, ...ITEM_QUERY], geo),
        post: write("Create items", coll, "A STAC Item, or an ItemCollection of at most 100", 201),
      },
      "/collections/{collectionId}/items/{itemId}": {
        get: op("One item", [...coll, "itemId"], geo),
        put: write("Replace an item", [...coll, "itemId"], "A STAC Item", 200),
        patch: write("Patch an item", [...coll, "itemId"], "A JSON Merge Patch of the Item", 200),
        delete: write("Delete an item", [...coll, "itemId"], undefined, 204),
      },
      "/collections/{collectionId}/items/{itemId}/assets/{assetKey}": {
        get: {
          summary: "Download an asset (302 to a presigned URL)",
          parameters: params([...coll, "itemId", "assetKey"]),
          responses: { 302: { description: "Redirect to the object" }, 404: ERROR },
        },
      },
      "/collections/{collectionId}/items/{itemId}/files": {
        get: op("Files inside a product", [...coll, "itemId"], js),
      },
      "/collections/{collectionId}/items/{itemId}/files/{path}": {
        get: {
          summary: "Download one file inside a product",
          parameters: [
            ...params([...coll, "itemId"]),
            { name: "path", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            302: { description: "Redirect to the bytes" },
            200: { description: "The file" },
            404: ERROR,
          },
        },
      },
      ...Object.fromEntries(
        ["downloads", "top-products", "users", "search-params"].map((s) => [
          `/admin/stats/${s}`,
          { get: op(`Operator statistics: ${s} (operator credentials)`, [], js) },
        ]),
      ),
      "/admin/failures": { get: op("Ingest failures (operator credentials)", [], js) },
      "/admin/tombstones": {
        get: op("Deleted products: tombstones by collection, cause and time (operator credentials)", [], js),
      },
      "/admin/gaps": {
        post: op("Gap report: the index against an upstream product list (operator credentials)", [], js, {
          requestBody: jsonBody(
            "{collection, upstream, from?, to?}: upstream a saved OData Products result, names, or their text",
          ),
        }),
      },
      "/collections/{collectionId}/items/{itemId}/delete": {
        post: write(
          "Delete a product with a cause: its objects go, a tombstone stays (body {cause, text})",
          [...coll, "itemId"],
          "{cause, text}: a deletion cause (docs/lifecycle.md) and free text",
          200,
        ),
      },
      "/collections/{collectionId}/queryables": {
        get: op("Queryables of a collection", coll, "application/schema+json"),
      },
      "/collections/{collectionId}/aggregate": {
        get: op("Aggregate a collection's items", [...coll, ...ITEM_QUERY, ...AGGREGATION_PARAMS], js),
      },
      "/collections/{collectionId}/aggregations": { get: op("Available aggregations", coll, js) },
      "/search": {
        get: op("Item Search", SEARCH_QUERY, geo),
        post: op("Item Search", [], geo, {
          requestBody: jsonBody("Item Search parameters as JSON (filter defaults to cql2-json)"),
        }),
      },
      "/search/download-list": {
        post: op(
          "A download list (Metalink 4 or aria2) of a search or a basket, with refresh links",
          ["format"],
          "application/metalink4+xml",
          {
            requestBody: jsonBody(
              'Item Search parameters (every match, at most 1000 items), or a basket {"ids": [{"collection", "id"}]}; "assets" selects asset keys',
            ),
          },
        ),
      },
      "/search/export": {
        post: op("Export a search as a background job (signed-in callers): 202 and the job's URL", [], js, {
          requestBody: jsonBody('Item Search parameters (every match) and "format" ("ndjson")'),
        }),
      },
      "/jobs/{jobId}": {
        get: op(
          "A job's status, counts and, once finished, a presigned link to its result (its creator only)",
          ["jobId"],
          js,
        ),
      },
      "/admin/import": {
        post: op(
          "Import an NDJSON object as a background job (operator credentials): 202 and the job's URL",
          [],
          js,
          {
            requestBody: jsonBody('{"key": "imports/…"}: an object under an import source'),
          },
        ),
      },
      "/admin/import/uploads": {
        post: op(
          "A short-lived presigned PUT URL for an import file under the first import source (operator credentials): 201 with key and href",
          [],
          js,
        ),
      },
      "/queryables": { get: op("Queryables of all collections", [], "application/schema+json") },
      "/sortables": { get: op("Fields sortby may name", [], "application/schema+json") },
      "/collections/{collectionId}/sortables": {
        get: op("Fields sortby may name in a collection", coll, "application/schema+json"),
      },
      "/sign": {
        get: op("A short-lived signed link that needs no credentials (signed-in callers)", ["href"], js),
      },
      "/aggregate": {
        get: op("Aggregate search results", [...SEARCH_QUERY, ...AGGREGATION_PARAMS], js),
        post: op("Aggregate search results", [], js, {
          requestBody: jsonBody("Item Search parameters plus aggregations", {
            aggregations: strings,
            datetime_frequency_interval: { type: "string", enum: ["year", "month", "day", "hour"] },
            centroid_geohex_grid_frequency_precision: { type: "integer", minimum: 0, maximum: 15 },
          }),
        }),
      },
      "/aggregations": { get: op("Available aggregations", [], js) },
      "/changes": {
        get: op(
          "Change feed: items created, updated, deleted since a cursor or time",
          ["since", "changes-limit"],
          js,
        ),
      },
      "/collections/{collectionId}/changes": {
        get: op("Change feed of a collection", [...coll, "since", "changes-limit"], js),
      },
      "/collections/{collectionId}/snapshots/{month}": {
        get: {
          summary: "The collection's items of one month as stac-geoparquet (302 to a presigned URL)",
          parameters: params([...coll, "month"]),
          responses: { 302: { description: "Redirect to the file" }, 404: ERROR },
        },
      },
    },
    components: {
      responses: {
        Error: {
          description: "An error: code and a description of what to fix",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["code", "description"],
                properties: { code: { type: "string" }, description: { type: "string" } },
              },
            },
          },
        },
      },
    },
  };
}
