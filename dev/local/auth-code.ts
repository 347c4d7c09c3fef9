// The local issuer's authorization code flow with PKCE (RFC 7636), for the search page's sign-in: a
// sign-in form at /authorize, codes kept in memory for a minute and exchanged once, with the verifier
// whose S256 hash was asked for, at /token. Development only: redirects go to loopback hosts only.
import { createHash, randomBytes } from "node:crypto";

interface PendingCode {
  user: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expires: number;
}

const CODE_MS = 60_000;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Why an authorization request cannot go on, or undefined when it can. */
export function authorizeRequestError(q: URLSearchParams): string | undefined {
  if (q.get("response_type") !== "code") return "response_type must be code";
  if (!q.get("client_id")) return "client_id is required";
  if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge"))
    return "PKCE is required: code_challenge with code_challenge_method=S256";
  let uri: URL;
  try {
    uri = new URL(q.get("redirect_uri") ?? "");
  } catch {
    return "redirect_uri must be an absolute URL";
  }
  if (!["localhost", "127.0.0.1", "[::1]"].includes(uri.hostname))
    return "this development issuer redirects to loopback hosts only";
  return undefined;
}

/**
 * The sign-in form; it posts the authorization request back with the user's name and password (the name
 * kept after a wrong password).
 */
export function signInForm(q: URLSearchParams, error?: string): string {
  const hidden = [...q.entries()]
    .filter(([k]) => k !== "username" && k !== "password")
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in: local issuer</title></head>
<body><h1>Sign in</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/authorize">${hidden}
<p><label for="username">User</label> <input id="username" name="username" value="${escapeHtml(q.get("username") ?? "")}" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p></form></body></html>`;
}

export class AuthCodes {
  private readonly pending = new Map<string, PendingCode>();

  /** A one-time code for a signed-in user's request, and the redirect that carries it. */
  issue(user: string, q: URLSearchParams): string {
    const code = randomBytes(24).toString("base64url");
    const redirectUri = q.get("redirect_uri") ?? "";
    this.pending.set(code, {
      user,
      clientId: q.get("client_id") ?? "",
      redirectUri,
      challenge: q.get("code_challenge") ?? "",
      expires: Date.now() + CODE_MS,
    });
    const to = new URL(redirectUri);
    to.searchParams.set("code", code);
    const state = q.get("state");
    if (state !== null) to.searchParams.set("state", state);
    return to.toString();
  }

  /** The user a code was issued to, if code, client, redirect and verifier all match; a code works once. */
  redeem(form: Record<string, string>): string | undefined {
    const code = form["code"] ?? "";
    const p = this.pending.get(code);
    this.pending.delete(code);
    if (!p || p.expires < Date.now()) return undefined;
    const verifier = form["code_verifier"] ?? "";
    const hashed = createHash("sha256").update(verifier).digest("base64url");
    const ok =
      hashed === p.challenge && form["client_id"] === p.clientId && form["redirect_uri"] === p.redirectUri;
    return ok ? p.user : undefined;
  }
}
