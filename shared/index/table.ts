// The catalogue table's physical schema. The CDK construct and the local stack both create the table
// from this definition, so the deployed and local layouts cannot drift.

export type AttributeType = "S" | "N" | "B";

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: { indexName: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute }[];
}

export const CATALOGUE_TABLE: TableDefinition = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalSecondaryIndexes: [],
};
