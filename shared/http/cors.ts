// The one CORS policy: the API's handler sends it (locally it is all there is) and the CDK gives the
// same to API Gateway, whose CORS replaces the handler's on AWS. Browser clients (STAC Browser, range
// reads of COGs in a web map) need Range allowed and the download headers exposed.
export const CORS_POLICY = {
  allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: ["accept", "authorization", "content-type", "if-match", "if-none-match", "range"],
  exposeHeaders: [
    "accept-ranges",
    "content-disposition",
    "content-encoding",
    "content-length",
    "content-range",
    "content-type",
    "etag",
    "link",
    "location",
    "retry-after",
    "www-authenticate",
  ],
  maxAgeSeconds: 86_400,
} as const;

/**
 * The headers the handler's responses carry. Any origin: on AWS, API Gateway answers with the deployment's
 * own origins (`corsOrigins`, cdk/config.ts) instead; a list of origins has no single header value (a
 * server would echo the request's origin).
 */
export function corsHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": CORS_POLICY.allowHeaders.join(", "),
    "access-control-allow-methods": CORS_POLICY.allowMethods.join(", "),
    "access-control-expose-headers": CORS_POLICY.exposeHeaders.join(", "),
    "access-control-max-age": String(CORS_POLICY.maxAgeSeconds),
  };
}
