// Sign-in through the deployment's OIDC issuer: the authorization code flow with PKCE (RFC 7636), as a
// public client in the browser. The page goes to the issuer's sign-in, comes back to `/` with a code, and
// exchanges it (with the verifier only this tab knows) for an access token that the API verifies.
import type { Api } from "./api.ts";
import { h } from "./dom.ts";

export interface OidcConfig {
  issuer: string;
  clientId: string;
}

interface Discovery {
  authorization_endpoint?: string;
  token_endpoint?: string;
}

/** What this tab keeps between leaving for the issuer and coming back. */
interface Pending {
  verifier: string;
  state: string;
  redirect: string;
  /** The page's query before signing in, restored after. */
  back: string;
}

const PENDING_KEY = "hexarchive.oidc";

/** The issuer the server configured for this page (data attributes of the body), if any. */
export function oidcConfig(): OidcConfig | undefined {
  const { oidcIssuer, oidcClient } = document.body.dataset;
  return oidcIssuer && oidcClient ? { issuer: oidcIssuer, clientId: oidcClient } : undefined;
}

function discover(c: OidcConfig): Promise<Discovery> {
  return fetch(`${c.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`)
    .then((r) => (r.ok ? (r.json() as Promise<Discovery>) : {}))
    .catch(() => ({}));
}

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const random = (n: number) => b64url(crypto.getRandomValues(new Uint8Array(n)));

async function start(c: OidcConfig, authorize: string): Promise<void> {
  const verifier = random(32);
  const state = random(16);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const redirect = `${location.origin}${location.pathname}`;
  const pending: Pending = { verifier, state, redirect, back: location.search };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const to = new URL(authorize);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: c.clientId,
    redirect_uri: redirect,
    scope: "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }))
    to.searchParams.set(k, v);
  location.assign(to.toString());
}

/**
 * On the way back from the issuer (`?code=…&state=…`, or `?error=…`): the code exchanged for a token that
 * `api` keeps, and the page's own URL put back. Returns what went wrong, if anything.
 */
export async function completeOidcSignIn(api: Api, c: OidcConfig | undefined): Promise<string | undefined> {
  const q = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  if (!c || !raw || !(q.has("code") || q.has("error")) || !q.has("state")) return undefined;
  sessionStorage.removeItem(PENDING_KEY);
  const pending = JSON.parse(raw) as Pending;
  history.replaceState(null, "", `${location.pathname}${pending.back}`);
  if (q.get("state") !== pending.state) return "Sign-in failed: the issuer's answer is not for this tab.";
  if (q.has("error")) return `Sign-in failed: ${q.get("error_description") ?? q.get("error")}`;
  const { token_endpoint } = await discover(c);
  if (!token_endpoint) return "Sign-in failed: the issuer names no token endpoint.";
  const res = await fetch(token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: q.get("code") ?? "",
      redirect_uri: pending.redirect,
      client_id: c.clientId,
      code_verifier: pending.verifier,
    }),
  }).catch(() => undefined);
  const body = ((await res?.json().catch(() => ({}))) ?? {}) as {
    access_token?: string;
    error_description?: string;
  };
  if (!res?.ok || !body.access_token)
    return `Sign-in failed: ${body.error_description ?? res?.status ?? "the issuer did not answer"}`;
  api.useToken(body.access_token);
  return undefined;
}

/**
 * A button that signs in through the issuer. The issuer is asked for its endpoints only when the button
 * is pressed: opening the page calls nothing but the API.
 */
export function oidcSignInButton(c: OidcConfig | undefined, say: (text: string) => void): HTMLElement | null {
  if (!c) return null;
  const button = h("button", { type: "button", id: "oidc-sign-in" }, "Sign in with your organisation");
  button.addEventListener("click", async () => {
    const d = await discover(c);
    if (d.authorization_endpoint && d.token_endpoint) await start(c, d.authorization_endpoint);
    else say("Sign-in through the issuer is not available: it names no authorization endpoint.");
  });
  return button;
}
