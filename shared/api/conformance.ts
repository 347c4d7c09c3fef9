// What this API conforms to: advertise exactly what works (each class has tests in test/api).
const CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf";
const FEATURES_FILTER = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf";

export const CONFORMANCE = [
  "https://api.stacspec.org/v1.0.0/core",
  "https://api.stacspec.org/v1.0.0/collections",
  "https://api.stacspec.org/v1.0.0/ogcapi-features",
  "https://api.stacspec.org/v1.0.0/item-search",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
  // Filter (test/api/filter.emu.test.ts)
  "https://api.stacspec.org/v1.0.0-rc.2/item-search#filter",
  "https://api.stacspec.org/v1.0.0-rc.2/ogcapi-features#filter",
  `${FEATURES_FILTER}/filter`,
  `${FEATURES_FILTER}/features-filter`,
  `${CQL2}/cql2-text`,
  `${CQL2}/cql2-json`,
  `${CQL2}/basic-cql2`,
  `${CQL2}/advanced-comparison-operators`,
  `${CQL2}/case-insensitive-comparison`,
  `${CQL2}/accent-insensitive-comparison`,
  `${CQL2}/basic-spatial-functions`,
  `${CQL2}/basic-spatial-functions-plus`,
  `${CQL2}/spatial-functions`,
  `${CQL2}/temporal-functions`,
  `${CQL2}/array-functions`,
  `${CQL2}/property-property`,
  `${CQL2}/arithmetic`,
  // Sort, fields, query (test/api/sort-fields-query.emu.test.ts)
  "https://api.stacspec.org/v1.0.0/item-search#sort",
  "https://api.stacspec.org/v1.0.0/ogcapi-features#sort",
  "https://api.stacspec.org/v1.0.0/item-search#fields",
  "https://api.stacspec.org/v1.0.0/ogcapi-features#fields",
  "https://api.stacspec.org/v1.0.0/item-search#query",
  "https://api.stacspec.org/v1.0.0/ogcapi-features#query",
  // Free text and Collection Search (test/api/free-text-collections.test.ts)
  "https://api.stacspec.org/v1.0.0-rc.1/item-search#free-text",
  "https://api.stacspec.org/v1.0.0-rc.1/ogcapi-features#free-text",
  "https://api.stacspec.org/v1.0.0-rc.1/collection-search",
  "https://api.stacspec.org/v1.0.0-rc.1/collection-search#free-text",
  "https://api.stacspec.org/v1.0.0-rc.1/collection-search#filter",
  "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/simple-query",
  // Aggregation (test/api/aggregate.emu.test.ts)
  "https://api.stacspec.org/v0.3.0/aggregation",
  // Transactions, items and collections (test/api/transactions.stack.test.ts)
  "https://api.stacspec.org/v1.0.0/ogcapi-features/extensions/transaction",
  "https://api.stacspec.org/v1.0.0/collections/extensions/transaction",
  "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
];
