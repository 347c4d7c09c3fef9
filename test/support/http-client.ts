// JSON over real HTTP for tests: GET and POST against a base URL, bodies parsed when they are JSON.
export interface HttpReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the route answered.
  body: any;
  headers: Headers;
}

export interface HttpClient {
  get(path: string, init?: RequestInit): Promise<HttpReply>;
  post(path: string, body: unknown): Promise<HttpReply>;
}

/** Relative paths are resolved against `base`; absolute URLs (e.g. `next` links) are fetched as given. */
export function httpClient(base: string): HttpClient {
  const call = async (path: string, init?: RequestInit): Promise<HttpReply> => {
    const res = await fetch(path.startsWith("http") ? path : `${base}${path}`, {
      redirect: "manual",
      ...init,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };
  return {
    get: call,
    post: (path, body) =>
      call(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}
