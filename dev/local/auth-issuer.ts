// The local stand-in for Cognito: an OIDC issuer on its own port that signs RS256 tokens for the users
// in <dataDir>/auth.json (scrypt-hashed; created on first start with a demo user and an operator), and
// publishes its JWKS. The API verifies its tokens offline exactly as it verifies Cognito's on AWS.
//   POST /token  grant_type=password&username=demo&password=demo-password   (form or JSON)
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

export const DEMO_USER = { user: "demo", password: "demo-password" };
export const DEMO_OPERATOR = { user: "operator", password: "operator-password" };
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

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
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
      aud: "hexarchive-local",
      username: user,
      "cognito:groups": groups,
      iat: now,
      exp: now + (o.expiresIn ?? TOKEN_SECONDS),
      jti: randomUUID(),
    };
    return signJwt(claims, privateKey, KID);
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      if (req.method === "GET" && path === "/.well-known/jwks.json") return reply(res, 200, { keys: [jwk] });
      if (req.method === "GET" && path === "/.well-known/openid-configuration")
        return reply(res, 200, {
          issuer,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          grant_types_supported: ["password"],
          id_token_signing_alg_values_supported: ["RS256"],
        });
      if (req.method === "POST" && path === "/token") {
        const form = await readForm(req);
        if ((form["grant_type"] ?? "password") !== "password")
          return reply(res, 400, {
            error: "unsupported_grant_type",
            error_description: "only grant_type=password",
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
