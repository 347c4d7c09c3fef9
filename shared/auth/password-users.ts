// Users with scrypt-hashed passwords, held in a JSON document: the local stack's user directory (and a
// self-hosted alternative to Cognito). Hashes use a per-user salt; comparison is constant-time.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import type { PasswordVerifier } from "./authenticator.ts";
import type { Principal } from "./principal.ts";

export interface StoredUser {
  name: string;
  salt: string;
  hash: string;
  groups: string[];
}

export function hashPassword(name: string, password: string, groups: string[] = []): StoredUser {
  const salt = randomBytes(16).toString("base64");
  return { name, salt, hash: scryptSync(password, salt, 32).toString("base64"), groups };
}

export class PasswordUsers implements PasswordVerifier {
  private readonly users = new Map<string, StoredUser>();

  constructor(users: StoredUser[] = []) {
    for (const u of users) this.users.set(u.name, u);
  }

  add(u: StoredUser): void {
    this.users.set(u.name, u);
  }

  list(): StoredUser[] {
    return [...this.users.values()];
  }

  find(name: string): StoredUser | undefined {
    return this.users.get(name);
  }

  check(name: string, password: string): StoredUser | undefined {
    const u = this.users.get(name);
    // Hash even for unknown users so that timing does not tell which names exist.
    const actual = scryptSync(password, u?.salt ?? "none", 32);
    const expected = Buffer.from(u?.hash ?? "", "base64");
    return u && expected.length === actual.length && timingSafeEqual(actual, expected) ? u : undefined;
  }

  async verify(name: string, password: string): Promise<Principal | undefined> {
    const u = this.check(name, password);
    return u ? { user: u.name, groups: u.groups, via: "basic" } : undefined;
  }
}
