// The STAC Authentication extension: how a client signs in (`auth:schemes` on the landing page and
// collections) and which schemes an asset needs (`auth:refs`), so STAC Browser and other tools can ask.
export const AUTH_EXTENSION = "https://stac-extensions.github.io/authentication/v1.1.0/schema.json";

/** Names of the schemes below, as assets refer to them. */
export const ASSET_AUTH_REFS = ["basic", "bearer", "signed_url"];

export function authSchemes(base: string): Record<string, unknown> {
  return {
    basic: { type: "http", scheme: "basic", description: "User name and password of a hexarchive account" },
    bearer: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "An access token of the issuer",
    },
    signed_url: {
      type: "signedUrl",
      description:
        "Signed in, GET /sign?href=<asset or search URL> answers a short-lived link that needs no credentials",
      flows: {
        authorizationCode: {
          authorizationApi: `${base}/sign`,
          method: "GET",
          parameters: {
            href: { in: "query", required: true, description: "The URL to sign", schema: { type: "string" } },
          },
          responseField: "href",
        },
      },
    },
  };
}
