// The HTTP shapes the API's domain works with, free of any Lambda event type.

export interface HttpRequest {
  method: string;
  /** Path below the API's base (no stage prefix), still percent-encoded; the router decodes parameters. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string;
  /** Absolute URL of the API root as the caller sees it, without a trailing slash. */
  baseUrl: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Body bytes (base64 on the wire to API Gateway). */
  binary?: Uint8Array;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
});

export const geojson = (status: number, value: unknown): HttpResponse =>
  json(status, value, { "content-type": "application/geo+json" });

export const redirect = (location: string, headers: Record<string, string> = {}): HttpResponse => ({
  status: 302,
  headers: { location, "cache-control": "no-store", ...headers },
});

/** Anything that answers requests: the router, and each layer wrapped around it. */
export interface RequestHandler {
  handle(req: HttpRequest): Promise<HttpResponse>;
}
