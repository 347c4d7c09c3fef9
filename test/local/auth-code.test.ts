// The local issuer's authorization code flow: PKCE is required, a code opens once and only with the
// verifier whose hash was asked for, by the same client and redirect, and only loopback redirects go.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthCodes, authorizeRequestError } from "../../dev/local/auth-code.ts";

const verifier = "a-verifier-of-enough-length-for-pkce-0123456789";
const request = (o: Record<string, string> = {}) =>
  new URLSearchParams({
    response_type: "code",
    client_id: "hexarchive-local",
    redirect_uri: "http://localhost:3000/",
    state: "s1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...o,
  });

describe("the local issuer's authorization codes", () => {
  it("refuse requests without PKCE (S256) or with a redirect off this machine", () => {
    expect(authorizeRequestError(request())).toBeUndefined();
    expect(authorizeRequestError(request({ code_challenge_method: "plain" }))).toMatch(/PKCE/);
    expect(authorizeRequestError(request({ redirect_uri: "https://example.org/" }))).toMatch(/loopback/);
    expect(authorizeRequestError(request({ response_type: "token" }))).toMatch(/response_type/);
  });

  it("open once, with the verifier, for the same client and redirect", () => {
    const codes = new AuthCodes();
    const back = new URL(codes.issue("demo", request()));
    expect([back.origin, back.searchParams.get("state")]).toEqual(["http://localhost:3000", "s1"]);
    const code = back.searchParams.get("code")!;
    const form = { code, client_id: "hexarchive-local", redirect_uri: "http://localhost:3000/" };
    expect(codes.redeem({ ...form, code_verifier: "another-verifier" })).toBeUndefined();
    // A failed attempt used the code up.
    expect(codes.redeem({ ...form, code_verifier: verifier })).toBeUndefined();
    const again = new URL(codes.issue("demo", request())).searchParams.get("code")!;
    expect(
      codes.redeem({ ...form, code: again, client_id: "other", code_verifier: verifier }),
    ).toBeUndefined();
    const third = new URL(codes.issue("demo", request())).searchParams.get("code")!;
    expect(codes.redeem({ ...form, code: third, code_verifier: verifier })).toBe("demo");
    expect(codes.redeem({ ...form, code: third, code_verifier: verifier })).toBeUndefined();
  });
});
