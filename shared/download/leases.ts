// Per-user concurrent download limit (DHuS clients expect 4). A presigned download is not observable
// once the URL is handed out, so each issued URL holds a lease until it expires: "active downloads" means
// "products with links issued and still valid". A slot is per product (DHuS counted flows per product):
// more files of the same product, or the same file again (a resumed download, sentinelsat's
// `Range: bytes=0-1` probe), renew it instead of taking a new one. Files are tracked too, so that the
// same file asked again is not counted as another download. Leases live in one DynamoDB item
// per user with their expiry times; expired ones are ignored and pruned on the next write (no TTL needed,
// so dynalite runs it too). Writes are optimistic: a version attribute makes two racing requests retry.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../http/errors.ts";
import { leaseKey, PK, SK } from "../index/keys.ts";

export interface LeaseResult {
  ok: boolean;
  /** The same file already had a live link: no new download, no new record. */
  renewed: boolean;
  active: number;
}

export interface LeaseStore {
  /** Takes or renews the slot `slotId` (a product) for the file `fileId` until `untilMs`. */
  acquire(
    user: string,
    slotId: string,
    fileId: string,
    untilMs: number,
    limit: number,
    nowMs: number,
  ): Promise<LeaseResult>;
}

export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async acquire(
    user: string,
    slotId: string,
    fileId: string,
    untilMs: number,
    limit: number,
    nowMs: number,
  ): Promise<LeaseResult> {
    const k = leaseKey(user);
    const Key = { [PK]: k.pk, [SK]: k.sk };
    for (let attempt = 0; attempt < 8; attempt++) {
      const got = await this.doc.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
      const version = (got.Item?.["version"] as number | undefined) ?? 0;
      const liveOf = (attr: string) =>
        Object.entries((got.Item?.[attr] as Record<string, number> | undefined) ?? {}).filter(
          ([, until]) => until > nowMs,
        );
      const live = liveOf("leases");
      const liveFiles = liveOf("files");
      const renewed = liveFiles.some(([id]) => id === fileId);
      if (!live.some(([id]) => id === slotId) && live.length >= limit)
        return { ok: false, renewed, active: live.length };
      const keep = (entries: [string, number][], id: string) =>
        Object.fromEntries([...entries.filter(([x]) => x !== id), [id, untilMs]]);
      const leases = keep(live, slotId);
      const files = keep(liveFiles, fileId);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...Key, user, leases, files, version: version + 1 },
            ConditionExpression: got.Item ? "version = :v" : "attribute_not_exists(#pk)",
            ...(got.Item
              ? { ExpressionAttributeValues: { ":v": version } }
              : { ExpressionAttributeNames: { "#pk": PK } }),
          }),
        );
        return { ok: true, renewed, active: Object.keys(leases).length };
      } catch (e) {
        if ((e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
      }
    }
    throw new TransientError("too many simultaneous download requests for this user; try again");
  }
}
