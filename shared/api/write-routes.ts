// The routes that change the catalogue (STAC Transactions), written once: the API registers their
// handlers from this table (routes/transactions.ts), and the CDK sends exactly these to the function
// that may write the catalogue (cdk/constructs/catalogue-api.ts); every other request goes to the
// read-only function. Paths use the `{name}` parameters both the router and API Gateway read.
export type WriteMethod = "POST" | "PUT" | "PATCH" | "DELETE";

export interface WriteRoute {
  method: WriteMethod;
  path: string;
}

export const WRITE_ROUTES = {
  createItems: { method: "POST", path: "/collections/{collectionId}/items" },
  replaceItem: { method: "PUT", path: "/collections/{collectionId}/items/{itemId}" },
  patchItem: { method: "PATCH", path: "/collections/{collectionId}/items/{itemId}" },
  deleteItem: { method: "DELETE", path: "/collections/{collectionId}/items/{itemId}" },
  createCollection: { method: "POST", path: "/collections" },
  replaceCollection: { method: "PUT", path: "/collections/{collectionId}" },
  patchCollection: { method: "PATCH", path: "/collections/{collectionId}" },
  deleteCollection: { method: "DELETE", path: "/collections/{collectionId}" },
  /** A deletion with a cause (routes/lifecycle.ts): the product's objects go too, a tombstone stays. */
  deleteProduct: { method: "POST", path: "/collections/{collectionId}/items/{itemId}/delete" },
} as const satisfies Record<string, WriteRoute>;

export type WriteRouteName = keyof typeof WRITE_ROUTES;

/** API Gateway's route key of a route, e.g. `PUT /collections/{collectionId}`. */
export const routeKey = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
