// DynamoDB adapter of the ObjectLedger port: one record per object key (O#) holding its newest applied
// sequencer, outcome and lease, and link records (K#) from an item to the objects that describe it.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { linkKey, linksPartition, objectKey, PK, SK } from "../index/keys.ts";
import type { IoStats } from "./catalogue.ts";
import { DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";
import type { Claim, ClaimResult, ObjectLedger, ObjectState } from "./object-ledger.ts";

export class DynamoObjectLedger implements ObjectLedger {
  private readonly db: DynamoTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.db = new DynamoTable(doc, tableName);
  }

  /** Requests and capacity this store has used. */
  get stats(): IoStats {
    return this.db.stats;
  }

  async getObjectState(key: string): Promise<ObjectState | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(objectKey(key)), ConsistentRead: true }),
    );
    this.db.count(undefined);
    return out.Item ? toState(out.Item) : undefined;
  }

  async getObjectStates(keys: string[]): Promise<Map<string, ObjectState & { leaseUntil?: number }>> {
    const found = new Map<string, ObjectState & { leaseUntil?: number }>();
    const records = await this.db.batchGet(
      [...new Set(keys)].map((k) => keyOf(objectKey(k))),
      { consistent: true },
    );
    for (const raw of records) {
      const state: ObjectState & { leaseUntil?: number } = toState(raw);
      if (typeof raw["lease"] === "number") state.leaseUntil = raw["lease"];
      found.set((raw[PK] as string).slice(objectKey("").pk.length), state);
    }
    return found;
  }

  async claimObject(key: string, c: Claim): Promise<ClaimResult> {
    const names: Record<string, string> = { "#lease": "lease", "#tok": "tok" };
    const values: Record<string, unknown> = { ":until": c.now + c.leaseMs, ":tok": c.token, ":now": c.now };
    let condition = "(attribute_not_exists(#lease) OR #lease < :now)";
    if (c.sequencer !== undefined) {
      // Equal passes: a redelivered event is applied again (idempotently), not skipped.
      condition += " AND (attribute_not_exists(#seq) OR #seq <= :seq)";
      names["#seq"] = "seq";
      values[":seq"] = c.sequencer;
    }
    try {
      const out = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(objectKey(key)),
          UpdateExpression: "SET #lease = :until, #tok = :tok",
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_OLD",
        }),
      );
      this.db.count(undefined);
      const old = out.Attributes;
      return { status: "claimed", previous: old ? toState(old) : undefined };
    } catch (err) {
      this.db.count(undefined);
      if (!isConditionFailure(err)) throw err;
    }
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(objectKey(key)), ConsistentRead: true }),
    );
    this.db.count(undefined);
    const seq = (out.Item?.["seq"] as string | undefined) ?? "";
    if (c.sequencer !== undefined && seq > c.sequencer) return { status: "stale", sequencer: seq };
    return { status: "busy", until: (out.Item?.["lease"] as number | undefined) ?? c.now };
  }

  async releaseObject(key: string, token: string, state?: ObjectState): Promise<boolean> {
    const names: Record<string, string> = { "#lease": "lease", "#tok": "tok" };
    const values: Record<string, unknown> = { ":tok": token };
    const set: string[] = [];
    const remove = ["#lease", "#tok"];
    if (state) {
      // The outcome is recorded: what was pending is either it or was removed on the way.
      names["#pc"] = "pc";
      names["#pid"] = "pid";
      remove.push("#pc", "#pid");
      const fields: [string, string | undefined][] = [
        ["c", state.collection],
        ["id", state.id],
        ["etag", state.etag],
        ["out", state.outcome],
      ];
      if (state.sequencer !== "") fields.push(["seq", state.sequencer]);
      for (const [name, value] of fields) {
        names[`#${name}`] = name;
        if (value === undefined) remove.push(`#${name}`);
        else {
          set.push(`#${name} = :${name}`);
          values[`:${name}`] = value;
        }
      }
    }
    return this.db.applied(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(objectKey(key)),
          UpdateExpression: `${set.length ? `SET ${set.join(", ")} ` : ""}REMOVE ${remove.join(", ")}`,
          ConditionExpression: "#tok = :tok",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async notePending(key: string, token: string, collection: string, id: string): Promise<boolean> {
    return this.db.applied(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(objectKey(key)),
          UpdateExpression: "SET #pc = :c, #pid = :id",
          ConditionExpression: "#tok = :tok",
          ExpressionAttributeNames: { "#pc": "pc", "#pid": "pid", "#tok": "tok" },
          ExpressionAttributeValues: { ":c": collection, ":id": id, ":tok": token },
        }),
      ),
    );
  }

  async linkObject(collection: string, id: string, key: string): Promise<void> {
    await this.db.doc.send(
      new PutCommand({ TableName: this.db.name, Item: keyOf(linkKey(collection, id, key)) }),
    );
    this.db.count(undefined);
  }

  async unlinkObject(collection: string, id: string, key: string): Promise<void> {
    await this.db.doc.send(
      new DeleteCommand({ TableName: this.db.name, Key: keyOf(linkKey(collection, id, key)) }),
    );
    this.db.count(undefined);
  }

  async linkedObjects(collection: string, id: string): Promise<string[]> {
    return (await this.db.readPartition(linksPartition(collection, id))).map((r) => r[SK] as string);
  }
}

function toState(raw: Record<string, unknown>): ObjectState {
  const state: ObjectState = { sequencer: (raw["seq"] as string | undefined) ?? "" };
  if (raw["c"]) state.collection = raw["c"] as string;
  if (raw["id"]) state.id = raw["id"] as string;
  if (raw["etag"]) state.etag = raw["etag"] as string;
  if (raw["pc"] && raw["pid"]) state.pending = { collection: raw["pc"] as string, id: raw["pid"] as string };
  if (raw["out"]) state.outcome = raw["out"] as NonNullable<ObjectState["outcome"]>;
  return state;
}
