// Per-user concurrent download limit (DHuS clients expect 4 at a time). Once a presigned URL is handed
// out the transfer is not observable, so a download holds its slot for as long as it must last at the
// fastest rate expected of one transfer (`size / leaseBytesPerSecond`, never past the link's expiry):
// until then it is surely still running. So a client downloading one product after another never holds
// more than one slot (unless it reads faster than `limit` times that rate), while one that starts more
// transfers at once than allowed is refused, told when the first slot frees (Retry-After). A slot is per
// product (DHuS counted flows per product): more files of the same product, or the same file again (a
// resumed download, sentinelsat's `Range: bytes=0-1` probe), extend it instead of taking a new one.
// Files are tracked until their link expires, so that the same file asked again is not recorded as
// another download. Leases live in one DynamoDB item per user with their expiry times; expired ones are
// ignored and pruned on the next write (no TTL needed, so dynalite runs it too). Writes are optimistic:
// a version attribute makes two racing requests retry.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import { leaseKey, PK, SK } from "../index/keys.ts";

export interface LeaseResult {
  ok: boolean;
  /** The same file already had a live link: no new download, no new record. */
  renewed: boolean;
  active: number;
  /** Refused: milliseconds until the first slot frees. */
  retryAfterMs?: number;
}

export interface LeaseTimes {
  /** The product's slot is held until then (the transfer's shortest possible end). */
  slotUntilMs: number;
  /** The file counts as already handed out until then (its link's expiry). */
  fileUntilMs: number;
}

export interface LeaseStore {
  /** Takes or extends the slot `slotId` (a product) for the file `fileId`. */
  acquire(
    user: string,
    slotId: string,
    fileId: string,
    until: LeaseTimes,
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
    until: LeaseTimes,
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
      if (!live.some(([id]) => id === slotId) && live.length >= limit) {
        const retryAfterMs = Math.max(0, Math.min(...live.map(([, t]) => t)) - nowMs);
        return { ok: false, renewed, active: live.length, retryAfterMs };
      }
      // A slot or file asked again keeps the later of its two ends.
      const keep = (entries: [string, number][], id: string, t: number) => {
        const was = entries.find(([x]) => x === id)?.[1] ?? 0;
        return Object.fromEntries([...entries.filter(([x]) => x !== id), [id, Math.max(was, t)]]);
      };
      const leases = keep(live, slotId, until.slotUntilMs);
      const files = keep(liveFiles, fileId, until.fileUntilMs);
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
