// The local stand-in for Cognito: an OIDC issuer on its own port that signs RS256 tokens for the users
// in <dataDir>/auth.json (scrypt-hashed; created on first start with a demo user and an operator), and
// publishes its JWKS. The API verifies its tokens offline exactly as it verifies Cognito's on AWS.
//   POST /token  grant_type=password&username=demo&password=demo-password   (form or JSON)
//   GET  /authorize, POST /token grant_type=authorization_code  (with PKCE: ./auth-code.ts)
//   GET  /.well-known/jwks.json, /.well-known/openid-configuration
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { signJwt } from "../../shared/auth/jwt.ts";
import { hashPassword, PasswordUsers, type StoredUser } from "../../shared/auth/password-users.ts";
import { AuthCodes, authorizeRequestError, signInForm } from "./auth-code.ts";

export const DEMO_USER = { user: "demo", password: "demo-password" };
export const DEMO_OPERATOR = { user: "operator", password: "operator-password" };
/** The audience of the tokens, and the client id the search page signs in with. */
export const LOCAL_CLIENT_ID = "hexarchive-local";
const TOKEN_SECONDS = 3600;
const KID = "local-1";

interface AuthFile {
  privateKeyPem: string;
  users: StoredUser[];
}

export interface AuthIssuer {
  issuer: string;
  tokenUrl: string;
  jwksUrl: string;
  jwks: { keys: Record<string, unknown>[] };
  users: PasswordUsers;
  /** Adds (or replaces) a user, persisted to auth.json. */
  addUser(name: string, password: string, groups?: string[]): void;
  /** A token for a user, as the token endpoint would issue it; `expiresIn` may be negative (tests). */
  tokenFor(user: string, opts?: { expiresIn?: number; groups?: string[] }): string;
  close(): Promise<void>;
}

function load(file: string): AuthFile {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as AuthFile;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const doc: AuthFile = {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    users: [
      hashPassword(DEMO_USER.user, DEMO_USER.password),
      hashPassword(DEMO_OPERATOR.user, DEMO_OPERATOR.password, ["operators"]),
    ],
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  return doc;
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let text = "";
  for await (const c of req) text += String(c);
  if ((req.headers["content-type"] ?? "").includes("json"))
    return JSON.parse(text || "{}") as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}

/** JSON, readable from the search page on another origin (discovery, keys and tokens hold no secrets it lacks). */
function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "access-control-allow-origin": "*",
  });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, page: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(page);
}

export async function startAuthIssuer(opts: { dataDir: string; port?: number }): Promise<AuthIssuer> {
  const file = join(opts.dataDir, "auth.json");
  const doc = load(file);
  const privateKey: KeyObject = createPrivateKey(doc.privateKeyPem);
  const jwk = {
    ...createPublicKey(privateKey).export({ format: "jwk" }),
    kid: KID,
    alg: "RS256",
    use: "sig",
  };
  const users = new PasswordUsers(doc.users);
  let issuer = "";
  const tokenFor = (user: string, o: { expiresIn?: number; groups?: string[] } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const groups = o.groups ?? users.find(user)?.groups ?? [];
    const claims = {
      iss: issuer,
      sub: user,
      aud: LOCAL_CLIENT_ID,
      username: user,
      "cognito:groups": groups,
      iat: now,
      exp: now + (o.expiresIn ?? TOKEN_SECONDS),
      jti: randomUUID(),
    };
    return signJwt(claims, privateKey, KID);
  };
  const codes = new AuthCodes();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    try {
      if (path === "/authorize" && (req.method === "GET" || req.method === "POST")) {
        const q = req.method === "GET" ? url.searchParams : new URLSearchParams(await readForm(req));
        const bad = authorizeRequestError(q);
        if (bad) return html(res, 400, `<!doctype html><title>Bad request</title><p>${bad}</p>`);
        if (req.method === "GET") return html(res, 200, signInForm(q));
        const u = users.check(q.get("username") ?? "", q.get("password") ?? "");
        if (!u) return html(res, 401, signInForm(q, "Wrong user or password."));
        res.writeHead(302, { location: codes.issue(u.name, q), "cache-control": "no-store" });
        return res.end();
      }
      if (req.method === "GET" && path === "/.well-known/jwks.json") return reply(res, 200, { keys: [jwk] });
      if (req.method === "GET" && path === "/.well-known/openid-configuration")
        return reply(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          grant_types_supported: ["password", "authorization_code"],
          response_types_supported: ["code"],
          code_challenge_methods_supported: ["S256"],
          id_token_signing_alg_values_supported: ["RS256"],
        });
      if (req.method === "POST" && path === "/token") {
        const form = await readForm(req);
        if (form["grant_type"] === "authorization_code") {
          const user = codes.redeem(form);
          if (!user)
            return reply(res, 400, {
              error: "invalid_grant",
              error_description: "unknown, used or expired code, or a verifier that does not match",
            });
          const token = tokenFor(user);
          return reply(res, 200, {
            access_token: token,
            id_token: token,
            token_type: "Bearer",
            expires_in: TOKEN_SECONDS,
          });
        }
        if ((form["grant_type"] ?? "password") !== "password")
          return reply(res, 400, {
            error: "unsupported_grant_type",
            error_description: "grant_type=password or authorization_code",
          });
        const u = users.check(form["username"] ?? "", form["password"] ?? "");
        if (!u)
          return reply(res, 401, {
            error: "invalid_grant",
            error_description: "wrong user name or password",
          });
        const token = tokenFor(u.name);
        return reply(res, 200, {
          access_token: token,
          id_token: token,
          token_type: "Bearer",
          expires_in: TOKEN_SECONDS,
        });
      }
      reply(res, 404, { error: "not_found" });
    } catch (err) {
      reply(res, 400, { error: "invalid_request", error_description: String(err) });
    }
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    jwks: { keys: [jwk] },
    users,
    addUser(name, password, groups = []) {
      users.add(hashPassword(name, password, groups));
      writeFileSync(file, `${JSON.stringify({ ...doc, users: users.list() }, null, 2)}\n`, { mode: 0o600 });
    },
    tokenFor,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
