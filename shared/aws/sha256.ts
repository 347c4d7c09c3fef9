// node:crypto behind the hash interface @smithy/signature-v4 expects, for the few AWS calls this project
// signs itself rather than take on another SDK client (Lambda Invoke, Secrets Manager).
import { createHash, createHmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";

const bytesOf = (d: SourceData): string | Uint8Array =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** node:crypto behind the hash interface the signer expects (HMAC when given a key). */
export class Sha256 implements Checksum {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error("Sha256.reset is not supported");
  }
}
