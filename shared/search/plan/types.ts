// The planner's vocabulary: what it is told about a search (PlanInput, PlanCollection) and what it
// returns (Plan, its PlannedQuery list with row estimates).
import type { Geometry } from "../../stac/types.ts";
import type { RowQuery, TileFootprint } from "../../storage/catalogue.ts";
import type { Interval } from "../datetime.ts";
import type { TimeProfile } from "../time-profile.ts";

/** Expected rows of a query, spread evenly over [from, to] (ms), and the share expected to match. */
export interface RowEstimate {
  rows: number;
  from: number;
  to: number;
  hitRate: number;
  /**
   * Share of its matches that are not also rows of another range of the plan (default 1): an item
   * touching several of an area's cells has a row in each, and counts once on a page.
   */
  distinct?: number | undefined;
  /** How the collection's rows spread over time (else evenly over [from, to]). */
  profile?: TimeProfile | undefined;
}

/** A query whose rows come newest first; `order.prefix` precedes the datetime in every sort key. */
export interface PlannedQuery extends RowQuery {
  order?: { prefix: string };
  estimate?: RowEstimate;
}

export interface Plan {
  /** mixed: cell ranges for some collections, time rows for the others. */
  strategy: "cells" | "time" | "mixed";
  queries: PlannedQuery[];
  /** Estimated cost in request units (requests + rows / rows per request), for the choice and for tests. */
  cost?: number;
  /** PlanInput.filtered: the executor sizes first pages with the wider margin. */
  filtered?: boolean;
}

export interface PlanInput {
  geometry?: Geometry | undefined;
  interval: Interval;
  /**
   * Collections to search, each with its longest item duration and the index levels its items use
   * (CollectionRecord.levels; all levels when unknown).
   */
  collections: PlanCollection[];
  /** Page size: with estimates, plans are costed by the rows their first page reads. */
  limit?: number | undefined;
  /** Rows also pass tests the planner cannot estimate (CQL2, query, free text): larger first pages. */
  filtered?: boolean | undefined;
  /**
   * Every match has `eo:cloud_cover` at most this (a filter's bound): tile ranges read the tile's
   * cloud band (keys.ts CLOUD_BANDS), and every estimate counts the share of rows under the bound.
   */
  cloudCoverMax?: number | undefined;
}

export interface PlanCollection {
  id: string;
  maxDurationMs: number;
  levels?: readonly string[] | undefined;
  /**
   * Row counts (RowCountReader.rowCounts of the area's base cells, `counted`) and time extent: for
   * estimates, and with INDEX_FEATURES to skip ranges whose level and cell have no counter.
   */
  rows?:
    | { counts: Readonly<Record<string, number>>; from: string; to: string; counted?: ReadonlySet<string> }
    | undefined;
  /** CollectionRecord.indexFeatures. */
  indexFeatures?: number | undefined;
  /**
   * Grid tiles in the area's res-2 cells (collections with tile rows, level "P"): a fine plan reads the
   * tile rows of those whose box meets the area. Unknown: it reads the items' group rows instead.
   */
  tiles?: readonly TileFootprint[] | undefined;
}
