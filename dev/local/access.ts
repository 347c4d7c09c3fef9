// The local stack's users and download front: the built-in OIDC issuer, the verifying presign front
// before s3rver, and the member cache bucket (the download services are the Lambda's, lambdas/api/deps.ts).
import type { S3Client } from "@aws-sdk/client-s3";
import { type AccessPolicy, OPEN_ACCESS } from "../../shared/auth/access-policy.ts";
import { Authenticator, jwtVerifier } from "../../shared/auth/authenticator.ts";
import type { AuthServices } from "../../shared/auth/guard.ts";
import { remoteKeys } from "../../shared/auth/jwt.ts";
import { DEFAULT_SIGNED_LINK_SECONDS, HrefSigner } from "../../shared/auth/signed-hrefs.ts";
import { localSigningKey } from "../../shared/auth/signing-key.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { type AuthIssuer, DEMO_OPERATOR, DEMO_USER, startAuthIssuer } from "./auth-issuer.ts";
import { startPresignFront } from "./presign-front.ts";
import { ensureBucket } from "./resources.ts";

export const LOCAL_CACHE_BUCKET = "hexarchive-download-cache";

export interface LocalAccessOptions {
  dataDir: string;
  s3: S3Client;
  s3Endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Omitted: everything public (what tests written before auth expect); `npm start` passes a policy. */
  access?: AccessPolicy | undefined;
  /** Lifetime of signed links (GET /sign, asset hrefs for signed-in callers); default 900 s. */
  signedLinkSeconds?: number | undefined;
}

export async function startLocalAccess(o: LocalAccessOptions) {
  const issuer: AuthIssuer = await startAuthIssuer({ dataDir: o.dataDir });
  const front = await startPresignFront(o.s3Endpoint, {
    [o.credentials.accessKeyId]: o.credentials.secretAccessKey,
  });
  await ensureBucket(o.s3, LOCAL_CACHE_BUCKET);
  const presignClient = makeS3Client({
    region: o.region,
    credentials: o.credentials,
    s3Endpoint: front.endpoint,
    s3ForcePathStyle: true,
  });
  const auth: AuthServices = {
    authenticator: new Authenticator(jwtVerifier(remoteKeys(issuer.jwksUrl), issuer.issuer), issuer.users),
    policy: o.access ?? OPEN_ACCESS,
    signer: new HrefSigner(localSigningKey(o.dataDir), o.signedLinkSeconds ?? DEFAULT_SIGNED_LINK_SECONDS),
  };
  return {
    issuer,
    auth,
    /** Presigns links that point at the verifying front. */
    presignClient,
    presignEndpoint: front.endpoint,
    endpoints: {
      tokenUrl: issuer.tokenUrl,
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      user: DEMO_USER.user,
      password: DEMO_USER.password,
      operator: { user: DEMO_OPERATOR.user, password: DEMO_OPERATOR.password },
    },
    async close() {
      await front.close();
      await issuer.close();
    },
  };
}
