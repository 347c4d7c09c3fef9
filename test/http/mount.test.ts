// Path mounts (shared/http/mount.ts): how the API's root puts the DHuS hub at /dhus beside the STAC API.
import { describe, expect, it } from "vitest";
import { mountPrefixes } from "../../shared/http/mount.ts";
import { type HttpRequest, json, type RequestHandler } from "../../shared/http/types.ts";

const answers = (name: string): RequestHandler => ({ handle: async () => json(200, { name }) });
const request = (path: string): HttpRequest => ({ method: "GET", path, query: {}, headers: {}, baseUrl: "" });

describe("mountPrefixes", () => {
  const api = mountPrefixes({ "/dhus": answers("dhus") }, answers("stac"));
  const who = async (path: string) => JSON.parse((await api.handle(request(path))).body ?? "{}").name;

  it("sends requests under a prefix to its handler", async () => {
    expect(await who("/dhus/search")).toBe("dhus");
    expect(await who("/dhus/odata/v1/Products")).toBe("dhus");
  });

  it("sends everything else, the bare prefix and look-alike paths included, to the rest", async () => {
    expect(await who("/collections")).toBe("stac");
    expect(await who("/dhus")).toBe("stac");
    expect(await who("/dhusx/search")).toBe("stac");
    expect(await who("/search/dhus/")).toBe("stac");
  });
});
