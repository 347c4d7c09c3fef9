// Users of the archive: a Cognito user pool (administrators create accounts), an app client that
// allows USER_PASSWORD_AUTH (so legacy clients can use HTTP Basic) and SRP sign-in for bearer tokens,
// with no OAuth flows, and the `operators` group.
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

export const OPERATORS_GROUP = "operators";

export class UserPool extends Construct {
  readonly pool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The OIDC issuer of the pool's tokens (JWKS at <issuer>/.well-known/jwks.json). */
  readonly issuer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.pool = new cognito.UserPool(this, "Pool", {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pool).acknowledge(
      {
        id: "AwsSolutions-COG2",
        reason:
          "Legacy DHuS clients sign in with HTTP Basic (user name and password only); MFA cannot be answered over Basic.",
      },
      {
        id: "AwsSolutions-COG8",
        reason:
          "The Plus feature plan (threat protection) is a paid option; enable it per deployment when required.",
      },
    );
    this.client = this.pool.addClient("ApiClient", {
      // What shared/auth uses: InitiateAuth USER_PASSWORD_AUTH for HTTP Basic (cognito-passwords.ts), and
      // tokens verified offline (jwt.ts) that clients get by USER_SRP_AUTH or USER_PASSWORD_AUTH (plus
      // refresh, which Cognito always allows). The pool has no hosted-UI domain, so the OAuth flows CDK
      // enables by default (code and implicit, redirecting to a placeholder https://example.com) serve
      // nobody and would only widen what the client accepts: off.
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      // Unknown user names fail like wrong passwords, so sign-in cannot be used to list accounts.
      preventUserExistenceErrors: true,
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    new cognito.CfnUserPoolGroup(this, "Operators", {
      userPoolId: this.pool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: "May read download statistics and ingest failures",
    });
    this.issuer = this.pool.userPoolProviderUrl;
  }
}
