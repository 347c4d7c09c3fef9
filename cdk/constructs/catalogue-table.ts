// The DynamoDB table behind the catalogue. Its keys and indexes come from shared/index/table.ts, the same
// definition the local stack uses, so the deployed layout cannot drift from what the code queries.
import { RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import type { KeyAttribute, TableDefinition } from "../../shared/index/table.ts";

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const;

function toAttribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/** Item and query reads: what both functions need to look products up. */
export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;
/** Item writes, conditional or batched. No table-management actions. */
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
] as const;
/** Reads without a key; only listings that have nothing to query by need it (the API, not ingest). */
export const TABLE_SCAN_ACTION = "dynamodb:Scan";

export interface CatalogueTableProps {
  definition: TableDefinition;
}

export class CatalogueTable extends Construct {
  readonly table: dynamodb.Table;
  private readonly hasIndexes: boolean;

  constructor(scope: Construct, id: string, props: CatalogueTableProps) {
    super(scope, id);
    const { definition } = props;

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: toAttribute(definition.partitionKey),
      sortKey: toAttribute(definition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: toAttribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: toAttribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.hasIndexes = definition.globalSecondaryIndexes.length > 0;
  }

  /** Read-only access, including Scan, for the API. */
  grantCatalogueRead(grantee: iam.IGrantable & IConstruct): void {
    this.grant(grantee, [...TABLE_READ_ACTIONS, TABLE_SCAN_ACTION]);
  }

  /** Keyed reads and item writes, for ingest. */
  grantCatalogueReadWrite(grantee: iam.IGrantable & IConstruct): void {
    this.grant(grantee, [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]);
  }

  private grant(grantee: iam.IGrantable & IConstruct, actions: readonly string[]): void {
    const resources = [this.table.tableArn];
    if (this.hasIndexes) resources.push(`${this.table.tableArn}/index/*`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources }),
    );
    if (this.hasIndexes) {
      const logicalId = Stack.of(this).resolve((this.table.node.defaultChild as dynamodb.CfnTable).logicalId);
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason:
          "Queries may use any of the catalogue table's own indexes, all declared in shared/index/table.ts.",
      });
    }
  }
}
