// Where the lifecycle jobs find their inputs: keys of the lifecycle inputs bucket on AWS
// (cdk/constructs/lifecycle-jobs.ts), paths under the data directory locally (dev/local/lifecycle.ts).
export const LIFECYCLE_INPUT_KEYS = {
  /** The upstream deletion list: CDSE DeletedProducts JSON, or a CSV of names and causes. */
  deletions: "upstream/deleted-products.json",
  /** The retention policies. */
  retention: "retention.json",
} as const;
