// A column plan (geoparquet-schema.ts) as JSON and back, so that planning can go on across invocations:
// an export plans its columns while it spools its items, and the plan travels in the job's checkpoint.
import type { KindState } from "./column-kinds.ts";
import { type ColumnPlan, newPlan } from "./geoparquet-schema.ts";

export interface PlanState {
  properties: [string, KindState][];
  members: [string, KindState][];
  links: [string, KindState][];
  assets: [string, [string, KindState][]][];
  bboxZ: boolean;
  geometryTypes: string[];
  extent?: [number, number, number, number];
  items: number;
}

export function planState(plan: ColumnPlan): PlanState {
  return {
    properties: [...plan.properties],
    members: [...plan.members],
    links: [...plan.links],
    assets: [...plan.assets].map(([k, fields]) => [k, [...fields]]),
    bboxZ: plan.bboxZ,
    geometryTypes: [...plan.geometryTypes],
    ...(plan.extent ? { extent: plan.extent } : {}),
    items: plan.items,
  };
}

/** The plan a state was taken of; none: a new, empty plan. */
export function planOf(state: PlanState | null | undefined): ColumnPlan {
  if (!state) return newPlan();
  return {
    properties: new Map(state.properties),
    members: new Map(state.members),
    links: new Map(state.links),
    assets: new Map(state.assets.map(([k, fields]) => [k, new Map(fields)])),
    bboxZ: state.bboxZ,
    geometryTypes: new Set(state.geometryTypes),
    extent: state.extent,
    items: state.items,
  };
}
