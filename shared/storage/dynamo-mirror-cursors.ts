// How far a mirror has applied another catalogue's change feed, one cursor per origin and scope (the
// whole feed, or one collection's), so that a re-run resumes where the last one stopped.
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mirrorCursorKey } from "../index/keys.ts";
import type { DynamoTable } from "./dynamo-table.ts";
import { keyOf } from "./dynamo-table.ts";

export interface MirrorCursors {
  getCursor(origin: string, scope: string): Promise<string | undefined>;
  putCursor(origin: string, scope: string, cursor: string): Promise<void>;
}

export class DynamoMirrorCursors implements MirrorCursors {
  constructor(private readonly db: DynamoTable) {}

  async getCursor(origin: string, scope: string): Promise<string | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(mirrorCursorKey(origin, scope)),
        ConsistentRead: true,
      }),
    );
    this.db.count(undefined);
    return out.Item?.["cursor"] as string | undefined;
  }

  async putCursor(origin: string, scope: string, cursor: string): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.name,
        Item: { ...keyOf(mirrorCursorKey(origin, scope)), cursor, at: new Date().toISOString() },
      }),
    );
    this.db.count(undefined);
  }
}
