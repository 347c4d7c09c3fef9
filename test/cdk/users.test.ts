import { describe, expect, it } from "vitest";
import { BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const client = built.resource(built.stack.users.client).Properties;

describe("user pool app client", () => {
  it("allows the sign-ins the API relies on: password (HTTP Basic), SRP and refresh", () => {
    expect([...(client["ExplicitAuthFlows"] as string[])].sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
    expect(client["GenerateSecret"]).toBe(false);
  });

  it("has no OAuth flow, scope or callback URL", () => {
    expect(client["AllowedOAuthFlowsUserPoolClient"]).toBe(false);
    for (const p of ["AllowedOAuthFlows", "AllowedOAuthScopes", "CallbackURLs", "LogoutURLs"])
      expect(client[p], p).toBeUndefined();
  });

  it("does not tell unknown users from wrong passwords", () => {
    expect(client["PreventUserExistenceErrors"]).toBe("ENABLED");
  });
});
