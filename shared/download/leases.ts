// Per-user concurrent download limit (DHuS clients expect 4). A presigned download is not observable
// once the URL is handed out, so each issued URL holds a lease until it expires: "active downloads" means
// "links issued and still valid". Asking again for the same file renews its lease instead of taking a
// new slot (a resumed download, sentinelsat's `Range: bytes=0-1` probe). Leases live in one DynamoDB item
// per user with their expiry times; expired ones are ignored and pruned on the next write (no TTL needed,
// so dynalite runs it too). Writes are optimistic: a version attribute makes two racing requests retry.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../http/errors.ts";
import { leaseKey, PK, SK } from "../index/keys.ts";

export interface LeaseResult {
  ok: boolean;
  /** The same file already had a live lease: no new download, no new record. */
  renewed: boolean;
  active: number;
}

export interface LeaseStore {
  acquire(user: string, leaseId: string, untilMs: number, limit: number, nowMs: number): Promise<LeaseResult>;
}

export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async acquire(
    user: string,
    leaseId: string,
    untilMs: number,
    limit: number,
    nowMs: number,
  ): Promise<LeaseResult> {
    const k = leaseKey(user);
    const Key = { [PK]: k.pk, [SK]: k.sk };
    for (let attempt = 0; attempt < 8; attempt++) {
      const got = await this.doc.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
      const version = (got.Item?.["version"] as number | undefined) ?? 0;
      const live = Object.entries((got.Item?.["leases"] as Record<string, number> | undefined) ?? {}).filter(
        ([, until]) => until > nowMs,
      );
      const renewed = live.some(([id]) => id === leaseId);
      if (!renewed && live.length >= limit) return { ok: false, renewed, active: live.length };
      const leases = Object.fromEntries([...live.filter(([id]) => id !== leaseId), [leaseId, untilMs]]);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...Key, user, leases, version: version + 1 },
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
