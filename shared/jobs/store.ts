// Job records over the catalogue table (partition J#<id>: shared/index/keys.ts); every update after the
// first is conditional on the invocation number (Job.run), so two invocations never both advance a job.
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { jobKey, PK } from "../index/keys.ts";
import { type DynamoTable, keyOf } from "../storage/dynamo-table.ts";
import type { Job } from "./model.ts";

export interface JobStore {
  create(job: Job): Promise<void>;
  get(id: string): Promise<Job | undefined>;
  /** Saves `job` if the stored record still carries invocation `run`; false when it does not. */
  update(job: Job, run: number): Promise<boolean>;
}

export class DynamoJobStore implements JobStore {
  constructor(private readonly db: DynamoTable) {}

  async create(job: Job): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.name,
        Item: { ...keyOf(jobKey(job.id)), job: JSON.stringify(job), run: job.run },
        ConditionExpression: `attribute_not_exists(${PK})`,
      }),
    );
    this.db.count(undefined);
  }

  async get(id: string): Promise<Job | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(jobKey(id)), ConsistentRead: true }),
    );
    this.db.count(undefined);
    return out.Item ? (JSON.parse(out.Item["job"] as string) as Job) : undefined;
  }

  update(job: Job, run: number): Promise<boolean> {
    return this.db.applied(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.name,
          Item: { ...keyOf(jobKey(job.id)), job: JSON.stringify(job), run: job.run },
          ConditionExpression: "#run = :run",
          ExpressionAttributeNames: { "#run": "run" },
          ExpressionAttributeValues: { ":run": run },
        }),
      ),
    );
  }
}
